package io.dnshandling.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure that reaches the JAX-RS layer to the one error body. Client mistakes get their
 * 4xx; anything else is logged with its stack trace and answered with a bare 500 that reveals
 * nothing internal.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    /** Malformed JSON. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return json(400, describe(e));
    }

    /**
     * JSON of the wrong shape or type. Mapped on its own because the REST layer ships a mapper for
     * exactly this type that answers with an empty body.
     */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return json(400, describe(e));
    }

    /** Routing and content negotiation: 404, 405, 406, 413, 415 … keep their status. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return json(status, "internal error");
        }
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(400, describe(jpe));
        }
        return json(status, HttpErrors.reason(status));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return json(500, "internal error");
    }

    static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message)).build();
    }

    /** Says what was wrong with the body, naming the field but never echoing Jackson internals. */
    static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            String field = mie.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String expected = mie.getTargetType() == null ? "another type" : HttpErrors.jsonType(mie.getTargetType());
            return "field '" + field + "' must be " + expected;
        }
        if (e instanceof MismatchedInputException mie) {
            String expected = mie.getTargetType() == null ? "a JSON object" : HttpErrors.jsonType(mie.getTargetType());
            return "request body must be " + expected;
        }
        if (e instanceof JsonMappingException) {
            return "request body does not fit the expected JSON shape";
        }
        return "request body is not valid JSON";
    }
}
