package io.dnshandling.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Pebble that issues 160-hour certificates (the lifetime of Let's Encrypt's {@code shortlived}
 * profile; {@code ShortLivedCertificateTest}) and rejects 30 % of good nonces with badNonce, as real
 * CAs occasionally do ({@code IssuanceUnderNonceRejectionTest}). Each class's certificates meet
 * both, as a real CA's would, so the two share one start of the service.
 */
public class DemandingCaProfile implements QuarkusTestProfile {

    public static final Duration LIFETIME = Duration.ofHours(160);

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AcmeTestBedResource.class,
                Map.of("validitySeconds", String.valueOf(LIFETIME.toSeconds()), "nonceReject", "30")));
    }
}
