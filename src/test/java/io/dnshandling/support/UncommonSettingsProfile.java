package io.dnshandling.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Base64;
import java.util.Map;

/**
 * Settings that one class each needs, none of which the others meet, so the three share one start
 * of the service:
 * <ul>
 * <li>the DNS server's UDP answers limited to 50 a second a prefix ({@code DnsRateLimitTest});
 * <li>a diagnosis deadline of 300 ms, shorter than the lookups' own timeout
 * ({@code DiagnosisUnansweredTest});
 * <li>a newer key-encryption key before the %test profile's ({@code KeyRotationTest}), which
 * writes every row back under the %test key after each test. The other two write no encrypted row.
 * </ul>
 */
public class UncommonSettingsProfile implements QuarkusTestProfile {

    /** The key of the %test profile, here the older one. */
    public static final byte[] OLD_KEY = Base64.getDecoder().decode("dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=");
    public static final byte[] NEW_KEY = "a-newer-test-key-of-32-bytes-abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("dns.server.udp-rate-limit", "50", "diagnosis.deadline", "300ms", "dns.lookup-timeout", "5s",
                "key.encryption.key", Base64.getEncoder().encodeToString(NEW_KEY) + "," + Base64.getEncoder().encodeToString(OLD_KEY));
    }
}
