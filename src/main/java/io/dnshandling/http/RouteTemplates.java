package io.dnshandling.http;

import java.util.List;

/**
 * The API's route templates, for naming a request in metrics before (or without) the REST layer
 * matching it: a request the filter answers itself (401, 403) or no route takes (404, 405) is
 * labelled with its template or with {@code /{unknown}}, never with its raw path, so nobody can
 * grow the metrics one label per id.
 */
final class RouteTemplates {

    static final String UNKNOWN = "/{unknown}";

    private static final List<String[]> TEMPLATES = List.of(
            split("/domains"), split("/domains/{id}"), split("/domains/{id}/verify"), split("/domains/{id}/issue-certificate"),
            split("/domains/{id}/certificate"), split("/domains/{id}/certificate/chain"), split("/domains/{id}/certificate/revoke"),
            split("/dns/records"), split("/dns/resolve"), split("/tls/certificate"), split("/tls/{token}/certificate"));

    private RouteTemplates() {
    }

    /** The template {@code path} falls under; {@link #UNKNOWN} for a path no route has. */
    static String of(String path) {
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
}
