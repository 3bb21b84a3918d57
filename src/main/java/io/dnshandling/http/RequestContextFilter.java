package io.dnshandling.http;

import io.dnshandling.core.RandomIds;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs first for every HTTP request, before any resource: gives the request an id (the caller's,
 * when it is sane), puts it on the response and in every log line of the request, writes one
 * access-log line when the response ends, and enforces the bearer token on the API.
 */
@ApplicationScoped
public class RequestContextFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    private static final Logger ACCESS = Logger.getLogger("io.dnshandling.access");
    private static final Logger LOG = Logger.getLogger(RequestContextFilter.class);
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final byte[] tokenDigest;

    RequestContextFilter(@ConfigProperty(name = "auth.token") Optional<String> token) {
        this.tokenDigest = token.map(String::strip).filter(t -> !t.isEmpty()).map(RequestContextFilter::sha256).orElse(null);
    }

    void warnWhenOpen(@Observes StartupEvent event) {
        if (tokenDigest == null) {
            LOG.warn("AUTH_TOKEN is not set: /domains and /dns accept requests without authentication");
        }
    }

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 100)
    void filter(RoutingContext rc) {
        String given = rc.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : RandomIds.id();
        rc.put(MDC_KEY, id);
        rc.response().putHeader(REQUEST_ID_HEADER, id);
        MDC.put(MDC_KEY, id);

        long started = System.nanoTime();
        rc.addEndHandler(done -> {
            MDC.put(MDC_KEY, id);
            ACCESS.infof("%s %s -> %d (%d ms)", rc.request().method(), rc.request().path(),
                    rc.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000);
        });

        if (tokenDigest != null && isProtected(rc.normalizedPath()) && !authorized(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"dns-handling\"");
            JsonErrors.end(rc, 401, HttpErrors.reason(401));
            return;
        }
        rc.next();
    }

    /** Probes, metrics and the OpenAPI document live under /q and stay open so probes work. */
    private static boolean isProtected(String path) {
        return !(path.equals("/q") || path.startsWith("/q/"));
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return false;
        }
        // Comparing fixed-length digests keeps the comparison constant-time even in the length.
        return MessageDigest.isEqual(tokenDigest, sha256(value.substring(space + 1).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
