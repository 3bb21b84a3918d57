package io.dnshandling.support;

import io.dnshandling.core.Digests;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HexFormat;
import java.util.Map;

/** Authentication on, with three tokens configured by digest (AUTH_TOKENS), each with its own scopes. */
public class ScopedTokensProfile implements QuarkusTestProfile {

    public static final String READER = "reader-token-0123456789";
    public static final String WRITER = "writer-token-0123456789";
    public static final String DNS = "dns-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("auth.disabled", "false", "auth.tokens",
                "reader " + digest(READER) + " domains:read; writer " + digest(WRITER) + " domains:read domains:write; "
                        + "zone " + digest(DNS) + " dns:write");
    }

    public static String digest(String token) {
        return "sha256:" + HexFormat.of().formatHex(Digests.sha256(token));
    }
}
