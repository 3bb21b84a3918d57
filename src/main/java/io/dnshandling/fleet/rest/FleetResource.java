package io.dnshandling.fleet.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.certificate.ExpiryCounts;
import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.fleet.Attention;
import io.dnshandling.fleet.FleetSummary;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet at a glance, for the console and for dashboards. */
@Path("/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fleet", description = "All domains at a glance")
@SecurityRequirement(name = "bearer")
public class FleetResource {

    private final FleetSummary summary;

    FleetResource(FleetSummary summary) {
        this.summary = summary;
    }

    @Schema(name = "ExpiryWeek", description = "One week of the expiry timeline")
    public record Week(
            @Schema(description = "Its first day, a Monday (UTC)") LocalDate start,
            @Schema(description = "Current certificates of active domains that expire in it (the first week from the current hour on)")
            long certificates) {
    }

    @Schema(name = "AttentionItem", description = "A domain that needs someone's attention")
    public record Item(
            @JsonProperty("domain_id") String domainId,
            @JsonProperty("domain_name") String domainName,
            DomainStatus status,
            @JsonProperty("certificate_state") CertificateState certificateState,
            @Schema(enumeration = {"certificate_expired", "certificate_revoked", "certificate_expiring", "renewal_failing", "order_stuck",
                    "domain_failed"}, description = "Why it is listed; the list is in this order, then oldest first") String reason,
            @Schema(description = "What is wrong, in a sentence; GET /domains/{id}/diagnosis says what to do") String problem,
            @Schema(nullable = true, description = "Since when, where known") Instant since) {
    }

    @Schema(name = "Fleet")
    public record View(
            @JsonProperty("checked_at") Instant checkedAt,
            @Schema(description = "All registered domains") long domains,
            @JsonProperty("by_status") @Schema(description = "Domains in each status; every status is present")
            Map<String, Long> byStatus,
            @JsonProperty("expiry_weeks") @Schema(description = "This week and the 12 after it") List<Week> expiryWeeks,
            @Schema(description = "Domains that need attention, most urgent first; at most 100") List<Item> attention,
            @JsonProperty("attention_total") @Schema(description = "How many need attention in all") long attentionTotal) {
    }

    @GET
    @Operation(summary = "The fleet at a glance", description = "Domains by status, certificates expiring week by week, and the domains that "
            + "need attention: certificates expired, revoked or expiring, renewals failing, orders stuck for over an hour or retrying after "
            + "an error, failed domains.")
    @APIResponse(responseCode = "200", description = "The summary", content = @Content(schema = @Schema(implementation = View.class)))
    public Uni<View> fleet() {
        return summary.read().map(s -> {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            s.byStatus().forEach((status, n) -> byStatus.put(status.wire(), n));
            return new View(s.at(), s.domains(), byStatus, s.expiryWeeks().stream().map(FleetResource::week).toList(),
                    s.attention().stream().map(FleetResource::item).toList(), s.attentionTotal());
        });
    }

    private static Week week(ExpiryCounts.Week w) {
        return new Week(w.start(), w.certificates());
    }

    private static Item item(Attention.Item i) {
        return new Item(i.domainId(), i.domainName(), i.status(), i.certificateState(), i.reason().name().toLowerCase(Locale.ROOT), i.problem(),
                i.since());
    }
}
