package io.dnshandling.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The refusals of the HTTP layer itself, which any operation can answer before its resource is
 * reached: a token missing, unknown or without the operation's scope ({@link RequestContextFilter}),
 * for every operation that needs one (an operation may say it in its own words, as {@code /tls}
 * does); a URI or a header block over its limit ({@link RequestLimits}); and the internal
 * failure any operation can meet ({@link ErrorMappers}). Each operation of the
 * OpenAPI document lists them, with the error body, so the document names every status a route
 * can return. Applied when the document is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class CommonResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() != null) {
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                add(operation, "401", "The bearer token is missing or unknown");
                add(operation, "403", "The token does not have the scope this operation needs");
            }
            add(operation, "414", "The request URI is longer than API_MAX_URI_LENGTH");
            add(operation, "431", "The request's header block is larger than API_MAX_HEADER_SIZE");
            add(operation, "500", "An internal failure (the database unreachable, …): {\"error\": \"internal error\"}, the details only in the log");
        }
        return operation;
    }

    private static void add(Operation operation, String status, String description) {
        if (operation.getResponses().getAPIResponse(status) == null) {
            APIResponse response = OASFactory.createAPIResponse().description(description)
                    .content(OASFactory.createContent().addMediaType("application/json",
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Error"))));
            operation.getResponses().addAPIResponse(status, response);
        }
    }
}
