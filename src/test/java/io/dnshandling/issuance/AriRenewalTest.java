package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * ACME Renewal Information (RFC 9773) against a test double in front of Pebble (Pebble 2.4.0 has
 * none): the CA's window, seconds away, decides when a 90-day certificate is renewed, and the
 * renewal order names the certificate it replaces.
 */
@QuarkusTest
@TestProfile(AriRenewalTest.WithRenewalInformation.class)
class AriRenewalTest {

    public static class WithRenewalInformation implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class, Map.of("ari", "true", "renewalRatio", "0.33")));
        }
    }

    @Inject
    Rows rows;

    @Test
    void the_cas_window_decides_when_a_90_day_certificate_renews_and_the_order_names_what_it_replaces() {
        RegisteredDomain d = delegatedDomain("ari");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        String firstId = rows.string("SELECT id FROM certificates WHERE domain_id = ?", d.id());
        assertThat(rows.string("SELECT renewal_source FROM certificates WHERE id = ?", firstId)).isEqualTo("ari");
        Instant renewAt = OffsetDateTime.parse(rows.string("SELECT to_char(renew_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM certificates WHERE id = ?", firstId)).toInstant();
        // By the 90-day lifetime this would be some 60 days away.
        assertThat(renewAt).isBefore(Instant.now().plusSeconds(10));
        assertThat(AcmeTestBedResource.ari().certificateIds()).isNotEmpty();

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' AND state = 'valid'", d.id()) >= 1);
        String ariId = rows.string("SELECT replaces_ari_id FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' ORDER BY created_at LIMIT 1", d.id());
        assertThat(ariId).as("the renewal order's replaces field").isNotBlank();
        assertThat(AcmeTestBedResource.ari().certificateIds()).contains(ariId);
        assertThat(rows.string("SELECT replaces_certificate_id FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' ORDER BY created_at LIMIT 1", d.id()))
                .isEqualTo(firstId);
    }

    @Inject
    Renewals renewals;

    @Test
    void a_window_the_ca_moves_after_issuance_moves_the_renewal_at_the_next_re_check() {
        AcmeTestBedResource.ari().suggest(Duration.ofDays(30), Duration.ofDays(31));
        try {
            RegisteredDomain d = delegatedDomain("ari-moved");
            issue(d.id()).statusCode(202);
            awaitStatus(d.id(), "active", Duration.ofSeconds(30));
            String id = rows.string("SELECT id FROM certificates WHERE domain_id = ?", d.id());
            assertThat(renewAt(id)).isAfter(Instant.now().plus(Duration.ofDays(29)));

            // A day later the CA pulls the window in (as before a mass revocation).
            AcmeTestBedResource.ari().suggest(Duration.ofSeconds(2), Duration.ofSeconds(4));
            rows.update("UPDATE certificates SET ari_checked_at = now() - interval '25 hours' WHERE id = ?", id);
            assertThat(renewals.recheckWindows().await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(1);
            assertThat(renewAt(id)).isBefore(Instant.now().plusSeconds(10));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' AND state = 'valid'", d.id()) >= 1);

            // Asked again within the interval, nothing is asked.
            assertThat(renewals.recheckWindows().await().atMost(Duration.ofSeconds(30))).isZero();
        } finally {
            AcmeTestBedResource.ari().suggest(Duration.ofSeconds(2), Duration.ofSeconds(4));
        }
    }

    private Instant renewAt(String certificateId) {
        return OffsetDateTime.parse(rows.string("SELECT to_char(renew_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM certificates WHERE id = ?",
                certificateId)).toInstant();
    }
}
