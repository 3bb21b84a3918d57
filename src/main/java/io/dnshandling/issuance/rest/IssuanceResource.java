package io.dnshandling.issuance.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.dns.Delegation;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.issuance.IssuanceService;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/domains/{id}/issue-certificate")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Certificates")
@SecurityRequirement(name = "bearer")
public class IssuanceResource {

    private final IssuanceService service;
    private final String baseDomain;

    IssuanceResource(IssuanceService service, @ConfigProperty(name = "base.domain") String baseDomain) {
        this.service = service;
        this.baseDomain = baseDomain;
    }

    @Schema(name = "IssuedOrder", description = "An order opened at the CA; the certificate follows in the background")
    public record View(
            @JsonProperty("order_id") String orderId,
            @Schema(description = "The domain's status: certificate_pending, or active while an active domain is re-issued") DomainStatus status,
            @JsonProperty("challenge_domain") String challengeDomain,
            @JsonProperty("expected_txt_value") @Schema(description = "The dns-01 value; absent when the CA reused an earlier authorization, "
                    + "and while the order is queued") String expectedTxtValue,
            String instructions,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("queued_until") @Schema(description = "Present when the order waits for the ordering budget (or a CA's rate limit): "
                    + "the earliest time it goes to the CA, by itself") Instant queuedUntil,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("queued_reason") @Schema(description = "Which budget the order waits for") String queuedReason,
            @Schema(description = "Every dns-01 value the order needs, one per name still to be proven at the CA (a wildcard and its base share "
                    + "one record name); with the CNAMEs in place this service publishes them all") List<Challenge> challenges) {
    }

    @Schema(name = "OrderChallenge")
    public record Challenge(
            @JsonProperty("record_name") @Schema(description = "Where the CA looks the value up") String recordName,
            @JsonProperty("txt_value") String txtValue) {
    }

    @POST
    @Operation(summary = "Issue (or re-issue) a certificate",
            description = "Opens an ACME order for a verified domain (or an active one, to re-issue now), selects dns-01 and records it. "
                    + "Validation, finalization and download continue in the background; poll GET /domains/{id}.")
    @APIResponse(responseCode = "202", description = "Order opened at the CA, or queued until the ordering budget allows (queued_until)",
            content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "400", description = "The domain is not verified or active, or its CAA records do not allow the CA (the record is named)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "An order for this domain is already in progress",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "429", description = "An active domain re-issued again within ACME_REISSUE_COOLDOWN; Retry-After says when it may be",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "502", description = "The ACME CA refused the order or could not be reached; nothing was recorded",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> issue(@PathParam("id") String id) {
        return service.issue(id).map(o -> Response.accepted(new View(o.orderId(), o.status(), o.challengeDomain(), o.txtValue(),
                instructions(o), o.queued() == null ? null : o.queued().until(), o.queued() == null ? null : o.queued().reason(),
                o.challenges().stream().map(c -> new Challenge(c.recordName(), c.txtValue())).toList())).build());
    }

    private String instructions(IssuanceService.Opened o) {
        if (o.queued() != null) {
            return "The order is queued: " + o.queued().reason() + ". It goes to the CA by itself at " + o.queued().until()
                    + " at the latest; the DNS value to publish (or nothing, with the CNAME) follows then. Poll GET /domains/" + o.domain().id + ".";
        }
        if (o.txtValue() == null) {
            return "The CA already holds a valid authorization for " + o.domain().domainName
                    + "; the certificate is being finalized. Poll GET /domains/" + o.domain().id + ".";
        }
        return "Publish the TXT record " + o.challengeDomain() + " with the value \"" + o.txtValue() + "\", "
                + "unless " + o.challengeDomain() + " is a CNAME to " + Delegation.target(o.domain().projectSubdomain, baseDomain)
                + ". (then this service publishes it and there is nothing to do). The certificate is issued in the background; "
                + "poll GET /domains/" + o.domain().id + " until it is active.";
    }
}
