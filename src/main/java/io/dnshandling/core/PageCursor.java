package io.dnshandling.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/** Where a page of a list ends (domains, a domain's events): opaque to callers, a (created_at, id) position to the service. */
public record PageCursor(Instant createdAt, String id) {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    public String encode() {
        String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    public static PageCursor decode(String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64url", e);
        }
        int colon = raw.indexOf(':');
        int dot = raw.indexOf('.');
        if (colon < 0 || dot < 0 || dot > colon || !ID.matcher(raw.substring(colon + 1)).matches()) {
            throw new IllegalArgumentException("malformed cursor");
        }
        try {
            return new PageCursor(Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, colon))),
                    raw.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }
}
