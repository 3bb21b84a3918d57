package io.dnshandling.diagnosis.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.diagnosis.Check;
import io.dnshandling.diagnosis.Diagnoses;
import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Why a domain does or does not have a good certificate: a live check, for a support tool or the console. */
@Path("/domains/{id}/diagnosis")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Domains")
@SecurityRequirement(name = "bearer")
public class DiagnosisResource {

    private final Diagnoses diagnoses;

    DiagnosisResource(Diagnoses diagnoses) {
        this.diagnoses = diagnoses;
    }

    @Schema(name = "Diagnosis")
    public record View(
            @JsonProperty("domain_id") String domainId,
            @JsonProperty("domain_name") String domainName,
            DomainStatus status,
            @JsonProperty("certificate_state") CertificateState certificateState,
            @JsonProperty("checked_at") Instant checkedAt,
            @Schema(description = "true when every check is ok") boolean healthy,
            @Schema(description = "In this order: ownership, delegation, delegation:<name> for each additional name with a challenge "
                    + "name of its own, challenge_values, caa, order (when the domain has had one), "
                    + "certificate, then delivery:<target> for each delivery target of an active domain") List<Check> checks) {
    }

    @GET
    @Operation(summary = "Diagnose a domain", description = "Checks live why the domain does or does not have a good certificate: its "
            + "ownership, its delegation CNAME and challenge values as the resolvers see them, what the service's DNS server serves, CAA, "
            + "its latest order, its certificate, and each delivery target. Every DNS lookup shares one deadline (DIAGNOSIS_DEADLINE); "
            + "one not answered by then is reported unknown.")
    @APIResponse(responseCode = "200", description = "The diagnosis", content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "404", description = "Unknown id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<View> diagnose(@PathParam("id") String id) {
        return diagnoses.of(id).map(r -> new View(r.facts().id(), r.facts().name(), r.facts().status(), r.facts().certificateState(),
                r.checkedAt(), r.healthy(), r.checks()));
    }
}
