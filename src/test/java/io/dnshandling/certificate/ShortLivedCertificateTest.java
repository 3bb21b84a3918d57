package io.dnshandling.certificate;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.DemandingCaProfile;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A 160-hour certificate (the lifetime of Let's Encrypt's {@code shortlived} profile, issued here by
 * Pebble configured for it, {@link DemandingCaProfile}) is renewed on its own lifetime: a third of 160 hours before expiry,
 * not a third of 90 days.
 */
@QuarkusTest
@TestProfile(DemandingCaProfile.class)
class ShortLivedCertificateTest {

    static final Duration LIFETIME = DemandingCaProfile.LIFETIME;

    @Inject
    Rows rows;

    @Test
    void a_160_hour_certificate_is_planned_for_renewal_on_its_own_lifetime() throws Exception {
        RegisteredDomain d = delegatedDomain("shortlived");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        String id = rows.string("SELECT id FROM certificates WHERE domain_id = ?", d.id());
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                rows.string("SELECT chain_pem FROM certificates WHERE id = ?", id).getBytes(StandardCharsets.US_ASCII)));
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration lifetime = Duration.between(notBefore, notAfter);
        assertThat(lifetime).isBetween(LIFETIME.minusMinutes(1), LIFETIME.plusMinutes(1));

        Instant renewAt = OffsetDateTime.parse(rows.string(
                "SELECT to_char(renew_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM certificates WHERE id = ?", id)).toInstant();
        double ratio = 0.33; // RENEWAL_RATIO's default
        Instant latest = notAfter.minusMillis((long) (lifetime.toMillis() * ratio)).plusSeconds(1);
        Instant earliest = notAfter.minusMillis((long) (lifetime.toMillis() * (ratio + RenewalPlan.JITTER))).minusSeconds(1);
        assertThat(renewAt).isBetween(earliest, latest);
        // About 107 hours after issuance: a plan on a 90-day lifetime would say 60 days.
        assertThat(Duration.between(notBefore, renewAt)).isBetween(Duration.ofHours(99), Duration.ofHours(108));
    }
}
