package io.dnshandling.domain.rest;

import io.dnshandling.http.QueryParams;
import io.dnshandling.http.ApiError;
import io.dnshandling.issuance.IssuanceService;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.delivery.DeliveryTargets;
import io.dnshandling.delivery.DeploymentStore;
import io.dnshandling.domain.Domain;
import io.dnshandling.domain.DomainNames;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainOverviews;
import io.dnshandling.domain.DomainStatus;
import io.smallrye.mutiny.Uni;
import io.dnshandling.certificate.CertificateService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
public class DomainResource {

    private final DomainService service;
    private final CertificateService certificates;
    private final DeliveryTargets targets;
    private final DeploymentStore deploymentStore;
    private final IssuanceService issuance;
    private final String baseDomain;
    private final DomainOverviews overviews;
    private final DomainNames domainNames;

    DomainResource(DomainService service, CertificateService certificates, DeliveryTargets targets, DeploymentStore deploymentStore,
            IssuanceService issuance, @ConfigProperty(name = "base.domain") String baseDomain, DomainOverviews overviews,
            DomainNames domainNames) {
        this.service = service;
        this.overviews = overviews;
        this.domainNames = domainNames;
        this.issuance = issuance;
        this.targets = targets;
        this.deploymentStore = deploymentStore;
        this.certificates = certificates;
        this.baseDomain = baseDomain;
    }

    @GET
    @Operation(summary = "List domains", description = "In creation order (stable across pages), optionally of one status, one "
            + "certificate state and a part of the name; follow next_cursor for the next page.")
    @APIResponse(responseCode = "200", description = "A page of domains",
            content = @Content(schema = @Schema(implementation = DomainViews.Listing.class)))
    @APIResponse(responseCode = "400", description = "Unknown status or certificate state, a name part with other characters than a "
            + "domain name's, limit outside 1-200, or a cursor this service did not issue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DomainViews.Listing> list(
            @Parameter(description = "Only domains in this status", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"pending", "verified", "certificate_pending", "active", "failed"})) @QueryParam("status") String status,
            @Parameter(description = "Only domains whose certificate is in this state (see Domain.certificate_state)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"valid", "renewing", "expiring", "expired", "revoked", "none"}))
            @QueryParam("certificate_state") String certificateState,
            @Parameter(description = "Only domains whose name contains this (case-insensitive; xn-- form for Unicode names)",
                    schema = @Schema(type = SchemaType.STRING, maxLength = 253)) @QueryParam("name") String name,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size; default 50", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
            @QueryParam("limit") String limit) {
        return Uni.createFrom().item(() -> QueryParams.limit(limit, DomainService.MAX_PAGE)).chain(size -> service.list(new DomainService.Filter(status, certificateState, name), cursor, size))
                .map(page -> new DomainViews.Listing(page.domains().stream().map(DomainViews.View::of).toList(), page.nextCursor()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a domain",
            description = "Cancels its open orders and withdraws its records from the DNS server; with ?revoke=true its current certificate is revoked at the CA first.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "502", description = "revoke=true and the CA refused or could not be reached; nothing was deleted",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> delete(@PathParam("id") String id, @QueryParam("revoke") boolean revoke) {
        return service.find(id)
                .call(domain -> revoke ? certificates.revokeIfAny(domain.id) : Uni.createFrom().voidItem())
                .call(domain -> issuance.abandon(domain.id))
                .chain(domain -> service.delete(domain.id))
                .map(deleted -> Response.noContent().build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a domain",
            description = "Normalises the name (trim, lower case, trailing dot, IDN to xn--) and returns the token and delegation target that prove ownership.")
    @APIResponse(responseCode = "201", description = "Registered; status pending",
            content = @Content(schema = @Schema(implementation = DomainViews.Registered.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, or a missing or invalid name",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A verified (or later) domain holds the name; pending registrations of it do not",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Body is not application/json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> register(DomainViews.RegisterRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(new InvalidRequestException("request body must be a JSON object with a domain_name"));
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
        return overviews.of(id).chain(o -> deployments(o.domain()).map(deployed -> DomainViews.View.of(o.domain(), o.certificateState(),
                o.renewalError(), deployed, o.queuedUntil() == null ? null : new DomainViews.QueuedOrder(o.queuedUntil(), o.queuedReason()),
                o.names().stream().map(n -> DomainViews.NameView.of(n, domainNames.instructions(o.domain(), n.name()))).toList())));
    }

    /** Each configured target's copy of an active domain's certificate; a target not yet recorded is pending. */
    private Uni<List<DomainViews.Deployment>> deployments(Domain domain) {
        if (domain.status != DomainStatus.ACTIVE || targets.names().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return deploymentStore.of(domain.id).map(rows -> targets.names().stream().map(target -> rows.stream()
                .filter(r -> r.target().equals(target)).findFirst()
                .map(r -> new DomainViews.Deployment(target, r.state(), r.serial(), r.syncedAt() == null ? null : r.syncedAt().toInstant(),
                        r.lastError()))
                .orElse(new DomainViews.Deployment(target, "pending", null, null, null))).toList());
    }

    @POST
    @Path("/{id}/verify")
    @Operation(summary = "Verify ownership",
            description = "Looks up TXT records at _acme-challenge.<domain>. through the configured resolvers, following CNAMEs, and compares them with the token. Idempotent once verified. Of several pending registrations of one name, the first to verify takes the name.")
    @APIResponse(responseCode = "200", description = "Verified (or already verified)",
            content = @Content(schema = @Schema(implementation = DomainViews.View.class)))
    @APIResponse(responseCode = "400", description = "Token not found at the queried name, or the domain is in a state that cannot be verified",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "Another registration of the name verified first, or this one lapsed (PENDING_TTL)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "424", description = "The resolvers failed: timeout, SERVFAIL or REFUSED",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DomainViews.View> verify(@PathParam("id") String id) {
        return service.verify(id).map(DomainViews.View::of);
    }
}
