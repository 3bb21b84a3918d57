package io.dnshandling.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.vertx.core.buffer.Buffer;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The error body for what never reaches a JAX-RS resource: unknown routes, bodies over the size
 * limit, and failures inside the HTTP layer itself. Without this, Vert.x would answer with an
 * HTML page or an empty body.
 */
@ApplicationScoped
public class JsonErrors {

    private static final Logger LOG = Logger.getLogger(JsonErrors.class);

    private static final String BOUNDED_READ = "dns-handling.bounded-read";

    private final long maxBodySize;

    JsonErrors(@ConfigProperty(name = "api.max-body-size", defaultValue = "64K") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        // The API's own body limit, answered with the error body. A declared length is checked
        // up front (and the connection closed, so an unread body is not drained); a body without
        // one (chunked, or HTTP/2) is read with a bounded BodyHandler. The HTTP layer itself has no
        // body limit of its own (quarkus.http.limits.max-body-size is empty), so no 413 comes from
        // anywhere but here.
        BodyHandler boundedReader = BodyHandler.create(false).setBodyLimit(maxBodySize);
        router.route().order(-1).handler(rc -> {
            String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null) {
                if (parseLength(declared) > maxBodySize) {
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                    rc.fail(413);
                } else {
                    rc.next();
                }
            } else if (mayCarryBody(rc)) {
                rc.put(BOUNDED_READ, true);
                boundedReader.handle(rc);
            } else {
                rc.next();
            }
        });
        // BodyHandler leaves an empty body unset, and the REST layer would then wait for a body
        // that has already ended: hand it an empty one.
        router.route().order(-1).handler(rc -> {
            if (rc.get(BOUNDED_READ) != null && rc.body().buffer() == null) {
                ((RoutingContextInternal) rc).setBody(Buffer.buffer());
            }
            rc.next();
        });
        // Failures raised below the resources (body limit, HTTP layer) get the same JSON body;
        // ordered first so it runs before the framework's own failure page.
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
            if (status >= 500 && rc.failure() != null) {
                LOG.error("request failed", rc.failure());
            }
            end(rc, status, HttpErrors.reason(status));
        });
        // Anything no route claimed: a JSON 404, not Vert.x's default page.
        router.route().order(Integer.MAX_VALUE).handler(rc -> end(rc, 404, HttpErrors.reason(404)));
    }

    /** Whether a request without a declared length may still carry a body. */
    private static boolean mayCarryBody(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        return rc.request().headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true)
                || rc.request().version() == HttpVersion.HTTP_2
                && !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a length the server can honour; refuse as too large
        }
    }

    static void end(RoutingContext rc, int status, String message) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).encode())
                .onComplete(written -> {
                    // A refused body is not read: close the HTTP/1 connection rather than drain it.
                    if ("close".equalsIgnoreCase(response.headers().get(HttpHeaders.CONNECTION))
                            && rc.request().version() != HttpVersion.HTTP_2) {
                        rc.request().connection().close();
                    }
                });
    }
}
