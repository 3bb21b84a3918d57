package io.dnshandling.delivery.rest;

import io.dnshandling.delivery.DeliveryMetrics;
import io.dnshandling.delivery.TlsCertificates;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The certificate and key for a server name, for TLS servers that ask on each handshake (Caddy's
 * {@code get_certificate http}). Exists only when a token has the {@code certificates:deliver}
 * scope; the token is checked before this resource runs.
 */
@Path("/tls")
@Tag(name = "Delivery", description = "Certificates and keys for the TLS terminators")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "The token is missing or unknown",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "403", description = "The token does not have the certificates:deliver scope (a management token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "404", description = "No token may deliver certificates: the endpoint does not exist",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class TlsResource {

    static final String PEM = "application/x-pem-file";

    private final TlsCertificates certificates;
    private final DeliveryMetrics metrics;

    TlsResource(TlsCertificates certificates, DeliveryMetrics metrics) {
        this.certificates = certificates;
        this.metrics = metrics;
    }

    @GET
    @Path("/certificate")
    @Produces(PEM)
    @Operation(summary = "Certificate and key for a server name",
            description = "The current certificate (leaf, then intermediates) and its private key as one PEM document, for an active "
                    + "domain named server_name (case-insensitive, Unicode or xn--). Send a token with certificates:deliver as a bearer token.")
    @APIResponse(responseCode = "200", description = "PEM: certificate chain, then private key", content = @Content(mediaType = PEM))
    @APIResponse(responseCode = "204", description = "Nothing is held for this name")
    public Uni<Response> certificate(@QueryParam("server_name") String serverName) {
        return certificates.forServerName(serverName).map(pem -> {
            metrics.delivery(pem == null ? "unknown" : "served");
            return pem == null ? Response.noContent().build() : Response.ok(pem, PEM).header("Cache-Control", "no-store").build();
        });
    }

    @GET
    @Path("/{token}/certificate")
    @Produces(PEM)
    @Operation(summary = "Certificate and key for a server name, the token in the path",
            description = "For TLS servers that cannot send headers (Caddy's get_certificate http): the same answer as /tls/certificate. "
                    + "The token never appears in logs or metrics.")
    @APIResponse(responseCode = "200", description = "PEM: certificate chain, then private key", content = @Content(mediaType = PEM))
    @APIResponse(responseCode = "204", description = "Nothing is held for this name")
    public Uni<Response> certificateWithToken(@PathParam("token") String token, @QueryParam("server_name") String serverName) {
        return certificate(serverName);
    }
}
