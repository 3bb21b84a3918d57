package io.dnshandling.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The console's static pages (META-INF/resources/console) go out with headers that keep the
 * signed-in token to this origin: a content security policy that runs only the console's own
 * script, sends requests only to this service and forbids framing, no referrer, no sniffing, and
 * no caching of a page that a newer release may change. {@code /console} without the slash is
 * sent to {@code /console/}, where the static handler serves the index.
 */
final class ConsolePages {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ConsolePages() {
    }

    static void serve(RoutingContext rc, String path) {
        if (path.equals(Routes.CONSOLE)) {
            rc.response().setStatusCode(301).putHeader("Location", Routes.CONSOLE + "/").end();
            return;
        }
        rc.response()
                .putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-cache");
        rc.next();
    }
}
