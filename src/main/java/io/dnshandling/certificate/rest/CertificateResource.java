package io.dnshandling.certificate.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.certificate.CertificateService;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/domains/{id}/certificate")
@Tag(name = "Certificates", description = "Certificates issued for domains")
@SecurityRequirement(name = "bearer")
public class CertificateResource {

    static final String PEM_CHAIN = "application/pem-certificate-chain";

    private final CertificateService service;

    CertificateResource(CertificateService service) {
        this.service = service;
    }

    @Schema(name = "Certificate", description = "Metadata of the current certificate; never the PEM, never the key")
    public record View(
            String id,
            @JsonProperty("domain_id") String domainId,
            @JsonProperty("issued_at") @Schema(description = "When the chain was retrieved and stored") Instant issuedAt,
            @JsonProperty("expires_at") @Schema(description = "The certificate's own notAfter") Instant expiresAt,
            @JsonProperty("created_at") Instant createdAt,
            @Schema(description = "The DNS names it covers (subjectAltName), the domain first") List<String> names,
            @Schema(description = "The CA that issued it: its name in ACME_ISSUERS (default for the single CA)") String issuer,
            @JsonProperty("acme_directory") @Schema(description = "That CA's ACME directory URL") String acmeDirectory) {
    }

    @Schema(name = "RevokeRequest")
    public record RevokeRequest(
            @Schema(description = "RFC 5280 reason, snake case; default unspecified",
                    enumeration = {"unspecified", "key_compromise", "ca_compromise", "affiliation_changed", "superseded",
                            "cessation_of_operation", "certificate_hold", "remove_from_crl", "privilege_withdrawn", "aa_compromise"})
            String reason) {
    }

    @Schema(name = "Revocation")
    public record Revoked(
            @JsonProperty("certificate_id") String certificateId,
            @JsonProperty("domain_id") String domainId,
            @JsonProperty("revoked_at") Instant revokedAt,
            String reason) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get the current certificate's metadata")
    @APIResponse(responseCode = "200", description = "The current certificate",
            content = @Content(schema = @Schema(implementation = View.class)))
    @APIResponse(responseCode = "404", description = "Unknown domain, domain not active, or no certificate stored (each with its own message)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<View> current(@PathParam("id") String id) {
        return service.current(id).map(c -> new View(c.id, c.domainId, c.issuedAt.toInstant(), c.notAfter.toInstant(),
                c.createdAt.toInstant(), c.names(), c.acmeDirectory == null ? null : service.issuerName(c.acmeDirectory), c.acmeDirectory));
    }

    @GET
    @Path("/chain")
    @Produces({PEM_CHAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "Download the current certificate chain", description = "The public chain, leaf first, as PEM; never the private key.")
    @APIResponse(responseCode = "200", description = "The chain", content = @Content(mediaType = PEM_CHAIN))
    @APIResponse(responseCode = "404", description = "Unknown domain, domain not active, or no certificate stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> chain(@PathParam("id") String id) {
        return service.current(id).map(c -> Response.ok(c.chainPem, PEM_CHAIN).build());
    }

    @POST
    @Path("/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke the current certificate", description = "Revokes at the CA, then records it. Re-issue with POST /domains/{id}/issue-certificate.")
    @APIResponse(responseCode = "200", description = "Revoked", content = @Content(schema = @Schema(implementation = Revoked.class)))
    @APIResponse(responseCode = "400", description = "Unknown reason, or already revoked",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown domain, domain not active, or no certificate stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "A body that is not application/json (send none, or {\"reason\": …})",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "502", description = "The CA refused the revocation or could not be reached",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Revoked> revoke(@PathParam("id") String id, RevokeRequest request) {
        return service.revoke(id, request == null ? null : request.reason())
                .map(c -> new Revoked(c.id, c.domainId, c.revokedAt.toInstant(), c.revocationReason));
    }
}
