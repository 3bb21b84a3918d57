package io.dnshandling.issuance;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Certificates that stay valid with no call from anyone: Pebble issues 12-second certificates,
 * renewal is due at half-life, and the test only watches.
 */
@QuarkusTest
@TestProfile(RenewalEndToEndTest.ShortLivedCertificates.class)
class RenewalEndToEndTest {

    public static class ShortLivedCertificates implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class,
                    Map.of("validitySeconds", "12", "renewalRatio", "0.5", "txtTimeout", "3s")));
        }
    }

    @Inject
    Rows rows;

    /** Short-lived certificates would keep renewing in later test classes: remove this class's domains. */
    @org.junit.jupiter.api.AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'renews-%' OR domain_name LIKE 'withdrawn-%'");
    }

    private long certificates(String domainId) {
        return rows.count("SELECT count(*) FROM certificates WHERE domain_id = ?", domainId);
    }

    @Test
    void a_delegated_domain_renews_by_itself_more_than_once_and_stays_active() {
        RegisteredDomain d = delegatedDomain("renews");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        List<String> statuses = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> {
            statuses.add(get(d.id()).extract().path("status"));
            return certificates(d.id()) >= 3;
        });
        assertThat(statuses).containsOnly("active");
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' AND state = 'valid'", d.id()))
                .isGreaterThanOrEqualTo(2);
        // Only the newest certificate carries a renewal plan.
        assertThat(rows.count("SELECT count(*) FROM certificates WHERE domain_id = ? AND renew_at IS NOT NULL", d.id())).isEqualTo(1);
        System.out.println("renewal timeline for " + d.domainName() + ":\n" + timeline(d.id()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> AcmeTestBedResource.webhooks().about(d.id()).stream()
                .filter(e -> e.type().equals("certificate.renewed")).count() >= 2);
    }

    @Test
    void a_withdrawn_delegation_is_reported_retried_and_renewal_resumes_when_it_returns() {
        RegisteredDomain d = delegatedDomain("withdrawn");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        long before = certificates(d.id());

        TestDnsResource.server().clear(d.challengeName());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(d.id()).extract().path("renewal_error") != null);
        String reported = get(d.id()).extract().path("renewal_error");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> AcmeTestBedResource.webhooks().about(d.id()).stream()
                .anyMatch(e -> e.type().equals("certificate.renewal_failed") && e.body().contains("was not visible")));
        assertThat(reported).contains("was not visible through the resolvers");
        assertThat((String) get(d.id()).extract().path("status")).isEqualTo("active");
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal' AND state = 'failed'", d.id()))
                .isGreaterThanOrEqualTo(1);

        TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> certificates(d.id()) > before && get(d.id()).extract().path("renewal_error") == null);
        System.out.println("renewal timeline for " + d.domainName() + " (delegation withdrawn, then restored):\n" + timeline(d.id()));
    }

    private String timeline(String domainId) {
        StringBuilder out = new StringBuilder();
        rows.each("""
                SELECT o.purpose, o.state, o.created_at, c.issued_at, c.not_after, c.renew_at, o.last_error
                  FROM acme_orders o LEFT JOIN certificates c ON c.order_id = o.id
                 WHERE o.domain_id = ? ORDER BY o.created_at""", domainId, r -> out.append(String.format(
                "  order %-8s %-7s opened %s  issued %s  expires %s  renewal planned %s%s%n",
                r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6) == null ? "" : "  (" + r.get(6) + ")")));
        return out.toString();
    }
}
