package io.dnshandling.domain;

import io.dnshandling.http.ApiError;
import io.dnshandling.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/domains")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Domains", description = "Register customer domains and prove their ownership")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "AUTH_TOKEN is set and the bearer token is missing or wrong",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class DomainResource {

    private final DomainService service;
    private final String baseDomain;

    DomainResource(DomainService service, @ConfigProperty(name = "base.domain") String baseDomain) {
        this.service = service;
        this.baseDomain = baseDomain;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a domain",
            description = "Normalises the name (trim, lower case, trailing dot, IDN to xn--) and returns the token and delegation target that prove ownership.")
    @APIResponse(responseCode = "201", description = "Registered; status pending",
            content = @Content(schema = @Schema(implementation = DomainViews.Registered.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, or a missing or invalid name",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The name is already registered",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Body is not application/json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> register(DomainViews.RegisterRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(ApiException.badRequest("request body must be a JSON object with a domain_name"));
        }
        return service.register(request.domainName())
                .map(d -> Response.created(URI.create("/domains/" + d.id))
                        .entity(DomainViews.Registered.of(d, baseDomain)).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a domain")
    @APIResponse(responseCode = "200", description = "The domain",
            content = @Content(schema = @Schema(implementation = DomainViews.View.class)))
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DomainViews.View> get(@PathParam("id") String id) {
        return service.find(id).map(DomainViews.View::of);
    }

    @POST
    @Path("/{id}/verify")
    @Operation(summary = "Verify ownership",
            description = "Looks up TXT records at _acme-challenge.<domain>. through the configured resolvers, following CNAMEs, and compares them with the token. Idempotent once verified.")
    @APIResponse(responseCode = "200", description = "Verified (or already verified)",
            content = @Content(schema = @Schema(implementation = DomainViews.View.class)))
    @APIResponse(responseCode = "400", description = "Token not found at the queried name, or the domain is in a state that cannot be verified",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "424", description = "The resolvers failed: timeout, SERVFAIL or REFUSED",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DomainViews.View> verify(@PathParam("id") String id) {
        return service.verify(id).map(DomainViews.View::of);
    }
}
