package io.dnshandling.http;

import io.dnshandling.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's routes as the request filter sees them: the methods each has (so that every other
 * method is answered 405 with {@code Allow}, whichever resource class holds the path), the scope
 * each needs, and its template, for
 * naming a request in metrics before (or without) the REST layer matching it: a request the filter answers itself (401, 403) or no route takes (404, 405) is
 * labelled with its template or with {@code /{unknown}}, never with its raw path, so nobody can
 * grow the metrics one label per id.
 */
final class Routes {

    static final String UNKNOWN = "/{unknown}";

    /** Every route of the API and the methods its resource declares; {@code RoutesTest} holds this equal to the OpenAPI document. */
    private static final List<Route> ROUTES = List.of(
            route("/domains", "GET", "POST"), route("/domains/{id}", "GET", "DELETE"), route("/domains/{id}/verify", "POST"),
            route("/domains/{id}/issue-certificate", "POST"), route("/domains/{id}/certificate", "GET"),
            route("/domains/{id}/certificate/chain", "GET"), route("/domains/{id}/certificate/revoke", "POST"),
            route("/domains/{id}/names", "GET", "POST"), route("/domains/{id}/names/{name}", "DELETE"), route("/domains/{id}/events", "GET"),
            route("/domains/{id}/diagnosis", "GET"),
            route("/fleet", "GET"), route("/dns/records", "GET", "POST", "DELETE"), route("/dns/resolve", "GET"),
            route("/tls/certificate", "GET"), route("/tls/{token}/certificate", "GET"));

    /** A route: its template, split into segments, and the methods declared for it. */
    record Route(String template, String[] segments, List<String> methods) {

        /** What the {@code Allow} header says: the declared methods, HEAD wherever GET is, and OPTIONS. */
        String allow() {
            List<String> all = new ArrayList<>(methods);
            if (methods.contains("GET")) {
                all.add(all.indexOf("GET") + 1, "HEAD");
            }
            all.add("OPTIONS");
            return String.join(", ", all);
        }

        boolean allows(String method) {
            return methods.contains(method) || method.equals("HEAD") && methods.contains("GET");
        }
    }

    private static Route route(String template, String... methods) {
        return new Route(template, split(template), List.of(methods));
    }

    private Routes() {
    }

    /** The route {@code path} falls under, if any. */
    static Optional<Route> routeOf(String path) {
        String[] segments = split(path == null ? "" : path);
        for (Route route : ROUTES) {
            if (matches(route.segments(), segments)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** Every route, for the test that holds them equal to the OpenAPI document. */
    static List<Route> all() {
        return ROUTES;
    }

    /** Whether {@code path} is one of the console's pages. */
    static boolean console(String path) {
        return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/");
    }

    static final String CONSOLE = "/console";

    private static boolean matches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean variable = template[i].startsWith("{");
            if (!variable && !template[i].equals(segments[i]) || variable && segments[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        p = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /**
     * The scope a request needs; none for the operations endpoints under {@code /q}, and none for
     * the console's static pages, which hold no data: everything they show comes from the API
     * with the token the operator signs in with.
     */
    static Optional<Scope> scopeFor(String method, String path) {
        if (path.equals("/q") || path.startsWith("/q/") || console(path)) {
            return Optional.empty();
        }
        if (path.equals("/tls") || path.startsWith("/tls/")) {
            return Optional.of(Scope.CERTIFICATES_DELIVER);
        }
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        if (read) {
            return Optional.of(Scope.DOMAINS_READ);
        }
        return Optional.of(path.equals("/dns/records") || path.startsWith("/dns/records/") ? Scope.DNS_WRITE : Scope.DOMAINS_WRITE);
    }
}
