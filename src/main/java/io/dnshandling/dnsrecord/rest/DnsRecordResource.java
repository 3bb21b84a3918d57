package io.dnshandling.dnsrecord.rest;

import io.dnshandling.http.QueryParams;
import io.dnshandling.dnsrecord.DnsRecordService;
import io.dnshandling.dnsrecord.DnsRecordViews;
import io.dnshandling.http.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/dns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "DNS", description = "Records of the built-in authoritative server, and lookups through the service's resolvers")
@SecurityRequirement(name = "bearer")
public class DnsRecordResource {

    private final DnsRecordService service;

    DnsRecordResource(DnsRecordService service) {
        this.service = service;
    }

    @GET
    @Path("/records")
    @Operation(summary = "List stored records",
            description = "The records the server serves from its store, by name (then id), a page at a time; follow next_cursor for the next page.")
    @APIResponse(responseCode = "200", description = "A page of records",
            content = @Content(schema = @Schema(implementation = DnsRecordViews.Listing.class)))
    @APIResponse(responseCode = "400", description = "limit outside 1-500, or a cursor this service did not issue",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DnsRecordViews.Listing> list(@Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size; default 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") String limit) {
        return Uni.createFrom().item(() -> QueryParams.limit(limit, DnsRecordService.MAX_PAGE)).chain(size -> service.list(cursor, size))
                .map(page -> new DnsRecordViews.Listing(page.records().stream().map(DnsRecordViews.View::of).toList(), page.nextCursor()));
    }

    @POST
    @Path("/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a record", description = "Served by every instance within moments of the answer.")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(schema = @Schema(implementation = DnsRecordViews.View.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, name outside the zone, or a value invalid for its type",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The record exists, or it conflicts with a CNAME at the same name",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the limit",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Body is not application/json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> create(DnsRecordViews.Create request) {
        return service.create(request).map(r -> Response.status(201).entity(DnsRecordViews.View.of(r)).build());
    }

    @DELETE
    @Path("/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete a record", description = "Identified by name, type and value.")
    @APIResponse(responseCode = "200", description = "Deleted; the record as it was",
            content = @Content(schema = @Schema(implementation = DnsRecordViews.View.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or invalid name, type or value",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such record",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Body is not application/json",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DnsRecordViews.View> delete(DnsRecordViews.Key key) {
        return service.delete(key).map(DnsRecordViews.View::of);
    }

    @GET
    @Path("/resolve")
    @Operation(summary = "Resolve a name through the service's resolvers",
            description = "What the service sees from where it runs, CNAMEs followed: for debugging a customer's delegation.")
    @APIResponse(responseCode = "200", description = "The answer (NOERROR, NODATA or NXDOMAIN)",
            content = @Content(schema = @Schema(implementation = DnsRecordViews.Resolution.class)))
    @APIResponse(responseCode = "400", description = "Missing or invalid name, or unsupported type",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "424", description = "The resolvers failed: timeout, SERVFAIL or REFUSED",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<DnsRecordViews.Resolution> resolve(
            @Parameter(required = true, description = "The name to resolve", example = "_acme-challenge.shop.example.com") @QueryParam("name") String name,
            @Parameter(description = "Record type; default A", schema = @Schema(type = SchemaType.STRING, defaultValue = "A",
                    enumeration = {"A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"})) @QueryParam("type") String type) {
        return service.resolve(name, type);
    }
}
