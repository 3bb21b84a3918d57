package io.dnshandling.domain.rest;

import io.dnshandling.http.QueryParams;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.dnshandling.domain.DomainService;
import io.dnshandling.events.EventHistory;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A domain's history: the events sent about it to webhook receivers, kept after delivery for EVENT_RETENTION. */
@Path("/domains/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Domains")
@SecurityRequirement(name = "bearer")
public class DomainEventResource {

    private final DomainService domains;
    private final EventHistory history;

    DomainEventResource(DomainService domains, EventHistory history) {
        this.domains = domains;
        this.history = history;
    }

    @Schema(name = "DomainEvent", description = "An event about the domain, as its webhook carries it")
    public record EventView(
            String id,
            @Schema(examples = "domain.status_changed") String type,
            Instant at,
            @Schema(description = "Sent to every webhook receiver (true also when none is configured)") boolean delivered,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The webhook's body") String payload) {

        static EventView of(EventHistory.Event e) {
            return new EventView(e.id(), e.type(), e.at(), e.delivered(), e.payload());
        }
    }

    @Schema(name = "DomainEventList")
    public record Listing(List<EventView> events,
            @JsonProperty("next_cursor") @Schema(nullable = true, description = "Pass as ?cursor= for older events; null on the last page") String nextCursor) {
    }

    @GET
    @Operation(summary = "A domain's history", description = "Newest first: status changes, renewals, deployments, as sent to webhook receivers.")
    @APIResponse(responseCode = "200", description = "A page of events", content = @Content(schema = @Schema(implementation = Listing.class)))
    @APIResponse(responseCode = "400", description = "limit outside 1-200, or a cursor this service did not issue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Listing> list(@PathParam("id") String id,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size; default 50", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
            @QueryParam("limit") String limit) {
        return Uni.createFrom().item(() -> QueryParams.limit(limit, EventHistory.MAX_PAGE))
                .chain(size -> domains.find(id).chain(d -> history.of(d.id, cursor, size)))
                .map(page -> new Listing(page.events().stream().map(EventView::of).toList(), page.nextCursor()));
    }
}
