package io.dnshandling.http;

import io.dnshandling.auth.ApiTokens;
import io.dnshandling.auth.Scope;
import io.dnshandling.auth.TokenRefused;
import io.dnshandling.core.RandomIds;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.web.RouteFilter;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs first for every HTTP request, before any resource: gives the request an id (the caller's,
 * when it is sane), puts it on the response and in every log line of the request, writes one
 * access-log line (naming the token used, never its value) when the response ends, and checks
 * that the request's token has the scope its route needs ({@link Scope}): 401 without a known
 * token, 403 when the token lacks the scope.
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

    private static final String TOKEN_NAME = "token_name";
    private static final int MAX_LOGGED_PATH = 200;
    /** Where the HTTP metrics read a request's route template from (the REST layer writes it on a match). */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final ApiTokens tokens;
    private final Event<TokenRefused> refused;
    private final RequestLimits limits;

    RequestContextFilter(ApiTokens tokens, Event<TokenRefused> refused, RequestLimits limits) {
        this.tokens = tokens;
        this.refused = refused;
        this.limits = limits;
    }

    void warnWhenOpen(@Observes StartupEvent event) {
        if (tokens.open()) {
            LOG.warn("AUTH_DISABLED=true and no token configured: /domains and /dns accept requests without authentication");
        }
    }

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 100)
    void filter(RoutingContext rc) {
        String given = rc.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : RandomIds.requestId();
        rc.put(MDC_KEY, id);
        rc.response().putHeader(REQUEST_ID_HEADER, id);
        MDC.put(MDC_KEY, id);

        long started = System.nanoTime();
        rc.addEndHandler(done -> {
            MDC.put(MDC_KEY, id);
            String token = rc.get(TOKEN_NAME);
            ACCESS.infof("%s %s -> %d (%d ms) token=%s", rc.request().method(), redacted(rc.request().path()),
                    rc.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000, token == null ? "-" : token);
        });

        String path = rc.normalizedPath();
        Optional<Scope> needed = Routes.scopeFor(rc.request().method().name(), path);
        // Matched once: for the metrics' uri label (until, and unless, the REST layer matches the
        // route itself) and for the methods the route has.
        Optional<Routes.Route> route = needed.isPresent() ? Routes.routeOf(path) : Optional.empty();
        if (needed.isPresent() && VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(URL_PATH_TEMPLATE, route.map(Routes.Route::template).orElse(Routes.UNKNOWN));
        }
        if (limits.refused(rc)) {
            return;
        }
        if (needed.isEmpty()) {
            if (Routes.console(path)) {
                ConsolePages.serve(rc, path);
                return;
            }
            rc.next();
            return;
        }
        boolean delivery = needed.get() == Scope.CERTIFICATES_DELIVER;
        if (delivery && !tokens.deliveryEnabled()) {
            JsonErrors.end(rc, 404, HttpErrors.reason(404)); // without a delivery token the endpoint does not exist
            return;
        }
        if (answeredByMethod(rc, route)) {
            return;
        }
        if (!delivery && tokens.open()) {
            rc.next();
            return;
        }
        Matcher inPath = TOKEN_IN_PATH.matcher(path);
        String presented = delivery && inPath.matches() && !inPath.group(1).equals("certificate")
                ? inPath.group(1) : bearer(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
        Optional<ApiTokens.Token> token = tokens.find(presented);
        if (token.isEmpty()) {
            refused.fire(new TokenRefused(needed.get()));
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"dns-handling\"");
            JsonErrors.end(rc, 401, HttpErrors.reason(401));
            return;
        }
        rc.put(TOKEN_NAME, token.get().name());
        if (!token.get().scopes().contains(needed.get())) {
            refused.fire(new TokenRefused(needed.get()));
            JsonErrors.end(rc, 403, "token '" + token.get().name() + "' does not have the scope " + needed.get().wire());
            return;
        }
        rc.next();
    }

    /**
     * OPTIONS, and a method the route does not have, are answered here, with the route's
     * {@code Allow} (RFC 9110 sections 9.3.7 and 15.5.6): the REST layer answers 404 for some of
     * them, and lists the methods of a whole resource class, not of the path. Neither needs a
     * token: which methods a route has is no secret (the OpenAPI document lists them).
     */
    private static boolean answeredByMethod(RoutingContext rc, Optional<Routes.Route> route) {
        String method = rc.request().method().name();
        if (route.isEmpty() || route.get().allows(method)) {
            return false;
        }
        rc.response().putHeader("Allow", route.get().allow());
        if (method.equals("OPTIONS")) {
            rc.response().setStatusCode(204).end();
        } else {
            JsonErrors.end(rc, 405, method + " is not a method of " + route.get().template() + "; it has " + route.get().allow());
        }
        return true;
    }

    /**
     * The path as logged: a delivery token in it is replaced, so it never reaches a log line, and
     * an over-long one is cut short.
     */
    static String redacted(String path) {
        Matcher inPath = TOKEN_IN_PATH.matcher(path == null ? "" : path);
        if (inPath.matches() && !inPath.group(1).equals("certificate")) {
            return "/tls/<token>/certificate";
        }
        return path != null && path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "…" : path;
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
