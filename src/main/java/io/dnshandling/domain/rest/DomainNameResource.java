package io.dnshandling.domain.rest;

import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.domain.DomainNames;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.NameRows;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The additional names of a domain: what its certificate covers besides the domain itself. */
@Path("/domains/{id}/names")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Domains")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "404", description = "Unknown domain id, or (DELETE) a name the domain does not have",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class DomainNameResource {

    private final DomainNames names;
    private final NameRows rows;
    private final DomainService domains;

    DomainNameResource(DomainNames names, NameRows rows, DomainService domains) {
        this.names = names;
        this.rows = rows;
        this.domains = domains;
    }

    @GET
    @Operation(summary = "List a domain's additional names")
    @APIResponse(responseCode = "200", description = "The names, sorted",
            content = @Content(schema = @Schema(implementation = DomainViews.NameView.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<List<DomainViews.NameView>> list(@PathParam("id") String id) {
        return domains.find(id).chain(domain -> rows.of(domain.id)
                .map(all -> all.stream().map(n -> DomainViews.NameView.of(n, names.instructions(domain, n.name()))).toList()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a name to the domain's certificate, or check a pending one again",
            description = "The domain's wildcard (*.<domain>) is proven by the domain's own verification. A name under the domain is proven "
                    + "by a CNAME from its _acme-challenge name to the domain's delegation target, or by the domain's token as TXT there; "
                    + "it is checked at once and stays pending with the reason until a later POST finds the record. "
                    + "When a verified name is added to (or removed from) an active domain, its certificate is re-issued to cover exactly its names.")
    @APIResponse(responseCode = "201", description = "Added; status verified or pending (see problem)",
            content = @Content(schema = @Schema(implementation = DomainViews.NameView.class)))
    @APIResponse(responseCode = "200", description = "Already a name of the domain; a pending one was checked again",
            content = @Content(schema = @Schema(implementation = DomainViews.NameView.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, or a name that is not the domain's wildcard or a name under it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The certificate would cover more than ACME_MAX_NAMES names, or the name is a verified domain of its own",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Body is not application/json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> add(@PathParam("id") String id, DomainViews.NameRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(new InvalidRequestException("request body must be a JSON object with a name"));
        }
        return domains.find(id).chain(domain -> names.add(domain, request.name()).map(added -> {
            DomainViews.NameView view = DomainViews.NameView.of(added.name(), names.instructions(domain, added.name().name()));
            return added.created()
                    ? Response.created(URI.create("/domains/" + domain.id + "/names/" + URLEncoder.encode(added.name().name(), StandardCharsets.UTF_8)))
                            .entity(view).build()
                    : Response.ok(view).build();
        }));
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a name from the domain's certificate",
            description = "A verified name removed from an active domain re-issues its certificate without it; it is no longer served for the name.")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> remove(@PathParam("id") String id, @PathParam("name") String name) {
        return names.remove(id, name).replaceWith(Response.noContent().build());
    }
}
