package io.dnshandling.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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

    private final long maxBodySize;

    JsonErrors(@ConfigProperty(name = "api.max-body-size", defaultValue = "64K") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        // The API's own body limit, enforced by reading the body before the resources do: it
        // covers chunked uploads (no Content-Length) as well, and answers 413 with the error
        // body. quarkus.http.limits.max-body-size stays above it as the server's outer bound.
        router.route().order(-1).handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
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

    static void end(RoutingContext rc, int status, String message) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
