package io.dnshandling.http;

import io.dnshandling.core.Digests;
import io.dnshandling.core.RandomIds;
import io.dnshandling.delivery.DeliveryCredential;
import io.dnshandling.delivery.DeliveryMetrics;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Matcher;
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

    /** {@code /tls/<token>/certificate}: the delivery token in the path, for TLS servers that cannot send headers. */
    private static final Pattern TOKEN_IN_PATH = Pattern.compile("^/tls/([^/]+)/certificate$");

    private final byte[] tokenDigest;
    private final DeliveryCredential delivery;
    private final DeliveryMetrics deliveries;

    RequestContextFilter(@ConfigProperty(name = "auth.token") Optional<String> token, DeliveryCredential delivery, DeliveryMetrics deliveries) {
        this.tokenDigest = token.map(String::strip).filter(t -> !t.isEmpty()).map(Digests::sha256).orElse(null);
        this.delivery = delivery;
        this.deliveries = deliveries;
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
            ACCESS.infof("%s %s -> %d (%d ms)", rc.request().method(), redacted(rc.request().path()),
                    rc.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000);
        });

        String path = rc.normalizedPath();
        if (path.equals("/tls") || path.startsWith("/tls/")) {
            delivery(rc, path);
            return;
        }
        if (tokenDigest != null && isProtected(path) && !authorized(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"dns-handling\"");
            JsonErrors.end(rc, 401, HttpErrors.reason(401));
            return;
        }
        rc.next();
    }

    /**
     * {@code /tls} takes the delivery token and nothing else: not the management token, and without
     * {@code DELIVERY_TOKEN} the endpoint does not exist.
     */
    private void delivery(RoutingContext rc, String path) {
        if (!delivery.enabled()) {
            JsonErrors.end(rc, 404, HttpErrors.reason(404));
            return;
        }
        Matcher inPath = TOKEN_IN_PATH.matcher(path);
        String presented = inPath.matches() && !inPath.group(1).equals("certificate") ? inPath.group(1) : bearer(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (!delivery.accepts(presented)) {
            deliveries.delivery("unauthorized");
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"dns-handling delivery\"");
            JsonErrors.end(rc, 401, HttpErrors.reason(401));
            return;
        }
        rc.next();
    }

    /** The path as logged: a delivery token in it is replaced, so it never reaches a log line. */
    static String redacted(String path) {
        Matcher inPath = TOKEN_IN_PATH.matcher(path == null ? "" : path);
        return inPath.matches() && !inPath.group(1).equals("certificate") ? "/tls/<token>/certificate" : path;
    }

    /** Probes, metrics and the OpenAPI document live under /q and stay open so probes work. */
    private static boolean isProtected(String path) {
        return !(path.equals("/q") || path.startsWith("/q/"));
    }

    private boolean authorized(String header) {
        String token = bearer(header);
        // Comparing fixed-length digests keeps the comparison constant-time even in the length.
        return token != null && MessageDigest.isEqual(tokenDigest, Digests.sha256(token));
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null for anything else. */
    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        return value.substring(space + 1).strip();
    }
}
