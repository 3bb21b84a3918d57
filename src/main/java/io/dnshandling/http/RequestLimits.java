package io.dnshandling.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's limits on the request line and the headers, answered like every other error: 414 or
 * 431 with {@code {"error": …}} and the request id. The HTTP decoder's own limits
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set well above
 * these, so a request over the API's limit still reaches this check; only one over the decoder's
 * outer bound gets the decoder's bare answer.
 */
@ApplicationScoped
public class RequestLimits {

    private final int maxUri;
    private final long maxHeaders;

    RequestLimits(@ConfigProperty(name = "api.max-uri-length", defaultValue = "4096") int maxUri,
                  @ConfigProperty(name = "api.max-header-size", defaultValue = "20K") MemorySize maxHeaders) {
        this.maxUri = maxUri;
        this.maxHeaders = maxHeaders.asLongValue();
    }

    /** Ends the request with 414 or 431 when it is over a limit; true when it did. */
    boolean refused(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.uri().length() > maxUri) {
            JsonErrors.end(rc, 414, "request URI longer than " + maxUri + " characters");
            return true;
        }
        long size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            // As on the wire: "name: value\r\n".
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        if (size > maxHeaders) {
            JsonErrors.end(rc, 431, "request headers larger than " + maxHeaders + " bytes");
            return true;
        }
        return false;
    }
}
