package io.dnshandling.http;

import io.dnshandling.auth.Scope;
import java.util.List;
import java.util.Optional;

/**
 * The API's routes as the request filter sees them: the scope each needs, and its template, for
 * naming a request in metrics before (or without) the REST layer matching it: a request the filter answers itself (401, 403) or no route takes (404, 405) is
 * labelled with its template or with {@code /{unknown}}, never with its raw path, so nobody can
 * grow the metrics one label per id.
 */
final class Routes {

    static final String UNKNOWN = "/{unknown}";

    private static final List<String[]> TEMPLATES = List.of(
            split("/domains"), split("/domains/{id}"), split("/domains/{id}/verify"), split("/domains/{id}/issue-certificate"),
            split("/domains/{id}/certificate"), split("/domains/{id}/certificate/chain"), split("/domains/{id}/certificate/revoke"),
            split("/domains/{id}/names"), split("/domains/{id}/names/{name}"),
            split("/dns/records"), split("/dns/resolve"), split("/tls/certificate"), split("/tls/{token}/certificate"));

    private Routes() {
    }

    /** The template {@code path} falls under; {@link #UNKNOWN} for a path no route has. */
    static String templateOf(String path) {
        String[] segments = split(path == null ? "" : path);
        for (String[] template : TEMPLATES) {
            if (matches(template, segments)) {
                return "/" + String.join("/", template);
            }
        }
        return UNKNOWN;
    }

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

    /** The scope a request needs; none for the operations endpoints under {@code /q}. */
    static Optional<Scope> scopeFor(String method, String path) {
        if (path.equals("/q") || path.startsWith("/q/")) {
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
