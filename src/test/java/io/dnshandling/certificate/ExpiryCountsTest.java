package io.dnshandling.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry gauges read from counts the database keeps per hour, and those counts say exactly
 * what a scan of every current certificate says: through new certificates, a renewal, a
 * revocation, a domain leaving and re-entering {@code active}, and a deletion, with expiries on
 * both sides of every bucket boundary.
 */
@QuarkusTest
class ExpiryCountsTest {

    /** What the gauges count, by definition: each active domain's latest certificate, unless revoked. */
    private static final String SCAN = """
            WITH current AS (
              SELECT DISTINCT ON (c.domain_id) c.not_after, c.revoked_at
                FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active'
               ORDER BY c.domain_id, c.issued_at DESC, c.id DESC)
            SELECT count(*) FILTER (WHERE not_after <= now()),
                   count(*) FILTER (WHERE not_after > now() AND not_after <= now() + interval '1 day'),
                   count(*) FILTER (WHERE not_after > now() + interval '1 day' AND not_after <= now() + interval '7 days'),
                   count(*) FILTER (WHERE not_after > now() + interval '7 days' AND not_after <= now() + interval '30 days'),
                   count(*) FILTER (WHERE not_after > now() + interval '30 days' AND not_after <= now() + interval '90 days'),
                   count(*) FILTER (WHERE not_after > now() + interval '90 days'),
                   COALESCE(EXTRACT(EPOCH FROM min(not_after)), 0)::bigint
              FROM current WHERE revoked_at IS NULL""";

    @Inject
    ExpiryCounts counts;

    @Inject
    Rows rows;

    /** Its domains hold certificates that are not real: other tests must not find them active. */
    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'expiry-%.example.com'");
    }

    @Test
    void the_kept_counts_match_a_scan_of_every_current_certificate_through_each_kind_of_change() {
        // Expiries just before and after each boundary (now, 1, 7, 30, 90 days), and far ones.
        List<String> offsets = List.of("-2 hours", "-1 minute", "+1 minute", "+50 minutes", "+1 day -1 minute",
                "+1 day +1 minute", "+7 days -2 minutes", "+7 days +2 minutes", "+30 days", "+30 days +1 minute",
                "+90 days -1 minute", "+90 days +3 minutes", "+200 days");
        Map<String, String> domains = new LinkedHashMap<>();
        for (String offset : offsets) {
            domains.put(offset, activeDomainWithCertificate(offset, "now() - interval '1 day'"));
        }
        assertMatchesScan("certificates stored");
        assertThat(read().byBucket().values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(offsets.size());

        String renewed = domains.get("+1 minute");
        certificate(renewed, "+60 days", "now()");
        assertMatchesScan("a renewal replaced the counted certificate");

        rows.update("UPDATE certificates SET revoked_at = now() WHERE domain_id = ? AND issued_at = "
                + "(SELECT max(issued_at) FROM certificates WHERE domain_id = ?)", domains.get("+200 days"), domains.get("+200 days"));
        assertMatchesScan("the latest certificate was revoked");

        String leaving = domains.get("+7 days +2 minutes");
        rows.update("UPDATE domains SET status = 'verified' WHERE id = ?", leaving);
        assertMatchesScan("a domain left active");
        rows.update("UPDATE domains SET status = 'active' WHERE id = ?", leaving);
        assertMatchesScan("the domain came back to active");

        rows.update("DELETE FROM domains WHERE id = ?", domains.get("-1 minute"));
        assertMatchesScan("a domain was deleted");

        String notActive = activeDomainWithCertificate("+3 days", "now()");
        rows.update("UPDATE domains SET status = 'certificate_pending' WHERE id = ?", notActive);
        assertMatchesScan("a domain that is not active is not counted");

        // Reading folds the deltas: one row per hour remains.
        assertThat(rows.count("SELECT count(*) FROM certificate_expiry_deltas"))
                .isEqualTo(rows.count("SELECT count(DISTINCT hour) FROM certificate_expiry_deltas"));
    }

    private void assertMatchesScan(String after) {
        ExpiryCounts.Expiry kept = read();
        List<String> scanned = new java.util.ArrayList<>();
        rows.each(SCAN, null, scanned::addAll);
        Map<String, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < ExpiryCounts.EXPIRY_BUCKETS.length; i++) {
            expected.put(ExpiryCounts.EXPIRY_BUCKETS[i], Long.parseLong(scanned.get(i)));
        }
        assertThat(kept.byBucket()).as("buckets after: %s", after).isEqualTo(expected);
        assertThat(kept.soonestEpochSecond()).as("soonest after: %s", after).isEqualTo(Long.parseLong(scanned.get(6)));
    }

    private ExpiryCounts.Expiry read() {
        return counts.read().await().atMost(Duration.ofSeconds(10));
    }

    private String activeDomainWithCertificate(String expiresIn, String issuedAt) {
        String domain = RandomIds.id();
        rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, created_at, updated_at)
                VALUES (?, ?, 'token', ?, 'active', now(), now())""", domain, "expiry-" + domain + ".example.com", RandomIds.label(20));
        certificate(domain, expiresIn, issuedAt);
        return domain;
    }

    private void certificate(String domain, String expiresIn, String issuedAt) {
        String order = RandomIds.id();
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                VALUES (?, ?, 'test', 'test', 'valid', now(), 0, now(), now(), now(), now())""", order, domain);
        rows.update("INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,"
                + " issued_at, created_at) VALUES (?, ?, ?, 'chain', 'key', '01', 'test', now(), now() + interval '" + expiresIn + "', "
                + issuedAt + ", now())", RandomIds.id(), domain, order);
    }
}
