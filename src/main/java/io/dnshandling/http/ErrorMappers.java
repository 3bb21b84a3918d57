package io.dnshandling.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.dnshandling.acme.CaException;
import io.dnshandling.core.ConflictException;
import io.dnshandling.core.NotFoundException;
import io.dnshandling.core.ServiceException;
import io.dnshandling.core.TooManyRequestsException;
import io.dnshandling.verification.DnsLookupException;
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

    /** What a service refused, in its own words: invalid input or state, unknown, or colliding. */
    @ServerExceptionMapper
    public Response refused(ServiceException e) {
        if (e instanceof TooManyRequestsException tooSoon) {
            // Whole seconds, rounded up, so a client that waits exactly that long is not early.
            long seconds = Math.max(1, (tooSoon.retryAfter().toMillis() + 999) / 1000);
            return Response.fromResponse(json(429, e.getMessage())).header("Retry-After", seconds).build();
        }
        return json(status(e), e.getMessage());
    }

    /** The resolvers failed (timeout, SERVFAIL, REFUSED): the answer depends on something that failed. */
    @ServerExceptionMapper
    public Response resolvers(DnsLookupException e) {
        return json(424, e.getMessage());
    }

    /** The CA refused a request made on the caller's behalf, or could not be reached. */
    @ServerExceptionMapper
    public Response ca(CaException e) {
        return json(502, e.getMessage());
    }

    static int status(ServiceException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof ConflictException) {
            return 409;
        }
        return 400;
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
        if (e instanceof JsonParseException && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            return "request body gives a field twice: " + e.getOriginalMessage().substring("Duplicate field ".length());
        }
        return "request body is not valid JSON";
    }
}
