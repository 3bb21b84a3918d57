package io.dnshandling.dnsrecord;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** Where a page of GET /dns/records ends: opaque to callers, a (name, id) position to the service. */
final class RecordCursor {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private RecordCursor() {
    }

    static String encode(String name, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((id + ":" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** {name, id}; IllegalArgumentException for anything this service did not issue. */
    static String[] decode(String cursor) {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        if (colon != 32 || !ID.matcher(raw.substring(0, colon)).matches() || raw.length() == colon + 1) {
            throw new IllegalArgumentException("malformed cursor");
        }
        return new String[] {raw.substring(colon + 1), raw.substring(0, colon)};
    }
}
