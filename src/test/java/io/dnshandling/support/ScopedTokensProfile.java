package io.dnshandling.support;

import io.dnshandling.core.Digests;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HexFormat;
import java.util.Map;

/**
 * Authentication on, with three tokens configured by digest (AUTH_TOKENS), each with its own
 * scopes, and one plaintext token (AUTH_TOKEN) beside them, as an operator may configure both.
 */
public class ScopedTokensProfile implements QuarkusTestProfile {

    public static final String READER = "reader-token-0123456789";
    public static final String WRITER = "writer-token-0123456789";
    public static final String DNS = "dns-token-0123456789";
    /** AUTH_TOKEN: every scope but certificates:deliver. */
    public static final String PLAIN = "s3cret-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("auth.disabled", "false", "auth.token", PLAIN, "auth.tokens",
                "reader " + digest(READER) + " domains:read; writer " + digest(WRITER) + " domains:read domains:write; "
                        + "zone " + digest(DNS) + " dns:write");
    }

    public static String digest(String token) {
        return "sha256:" + HexFormat.of().formatHex(Digests.sha256(token));
    }
}
