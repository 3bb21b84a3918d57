package io.dnshandling.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Limits tighter than the tests' usual: the DNS server's UDP answers limited to 50 a second a
 * prefix ({@code DnsRateLimitTest}), and a diagnosis deadline of 300 ms, shorter than the lookups'
 * own timeout ({@code DiagnosisUnansweredTest}). Neither class meets the other's limit, so they
 * share one start of the service.
 */
public class TightLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("dns.server.udp-rate-limit", "50", "diagnosis.deadline", "300ms", "dns.lookup-timeout", "5s");
    }
}
