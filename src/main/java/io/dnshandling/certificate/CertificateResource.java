package io.dnshandling.certificate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.http.ApiError;
import io.dnshandling.http.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/domains/{id}/certificate")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Certificates", description = "Certificates issued for domains")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "AUTH_TOKEN is set and the bearer token is missing or wrong",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class CertificateResource {

    private final DomainService domains;
    private final Pool pool;

    CertificateResource(DomainService domains, Pool pool) {
        this.domains = domains;
        this.pool = pool;
    }

    @Schema(name = "Certificate", description = "Metadata of the current certificate; never the PEM, never the key")
    public record View(
            String id,
            @JsonProperty("domain_id") String domainId,
            @JsonProperty("issued_at") @Schema(description = "When the chain was retrieved and stored") Instant issuedAt,
            @JsonProperty("expires_at") @Schema(description = "The certificate's own notAfter") Instant expiresAt,
            @JsonProperty("created_at") Instant createdAt) {
    }

    @GET
    @Operation(summary = "Get the current certificate's metadata")
    @APIResponse(responseCode = "200", description = "The current certificate",
            content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "404", description = "Unknown domain, domain not active, or no certificate stored (each with its own message)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<View> current(@PathParam("id") String id) {
        return domains.find(id).chain(domain -> {
            if (domain.status != DomainStatus.ACTIVE) {
                return Uni.createFrom().failure(ApiException.notFound("domain is " + domain.status.wire()
                        + "; a certificate is reported once the domain is active"));
            }
            return pool.preparedQuery("""
                            SELECT id, domain_id, issued_at, not_after, created_at FROM certificates
                             WHERE domain_id = $1 ORDER BY issued_at DESC, created_at DESC LIMIT 1""")
                    .execute(Tuple.of(domain.id))
                    .map(rows -> {
                        if (!rows.iterator().hasNext()) {
                            throw ApiException.notFound("no certificate is stored for this domain");
                        }
                        Row r = rows.iterator().next();
                        return new View(r.getString("id"), r.getString("domain_id"), r.getOffsetDateTime("issued_at").toInstant(),
                                r.getOffsetDateTime("not_after").toInstant(), r.getOffsetDateTime("created_at").toInstant());
                    });
        });
    }
}
