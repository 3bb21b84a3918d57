package io.dnshandling.certificate;

import static io.dnshandling.support.StoredCertificates.activeDomain;
import static io.dnshandling.support.StoredCertificates.certificate;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A certificate stored with other names than its domain wants now (a name verified or removed
 * while it was being ordered) is due for renewal at once; one that covers exactly the wanted
 * names, in any order, keeps the renewal time it was stored with; a revoked one is left alone.
 */
@QuarkusTest
class CertificateNamesDueTest {

    @Inject
    Rows rows;

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'namesdue-%.example.com'");
    }

    private String domain() {
        return activeDomain(rows, "namesdue-" + RandomIds.label(10) + ".example.com");
    }

    private void name(String domain, String label, String status) {
        rows.update("INSERT INTO domain_names (domain_id, name, status, created_at, verified_at) SELECT id, ? || '.' || domain_name, ?, now(),"
                + " CASE WHEN ? = 'verified' THEN now() END FROM domains WHERE id = ?", label, status, status, domain);
    }

    /** Stores a certificate of {@code domain} for {@code names} (SQL over the domain row {@code d}), renewal planned in 60 days; due now? */
    private boolean dueAtOnce(String domain, String names, boolean revoked) {
        String id = certificate(rows, domain, "now()", "now() + interval '90 days'", names, "now() + interval '60 days'", revoked ? "now()" : "NULL");
        return rows.count("SELECT count(*) FROM certificates WHERE id = ? AND renew_at < now() + interval '1 minute'", id) == 1;
    }

    @Test
    void a_certificate_for_exactly_the_wanted_names_keeps_its_renewal_time() {
        String d = domain();
        assertThat(dueAtOnce(d, "ARRAY[d.domain_name]", false)).isFalse();
        name(d, "www", "verified");
        name(d, "shop", "verified");
        name(d, "blog", "pending");
        assertThat(dueAtOnce(d, "ARRAY['www.' || d.domain_name, d.domain_name, 'shop.' || d.domain_name]", false)).isFalse();
    }

    @Test
    void a_certificate_missing_a_verified_name_is_due_at_once() {
        String d = domain();
        name(d, "www", "verified");
        assertThat(dueAtOnce(d, "ARRAY[d.domain_name]", false)).isTrue();
    }

    @Test
    void a_certificate_for_a_name_no_longer_wanted_is_due_at_once() {
        String d = domain();
        name(d, "blog", "pending");
        assertThat(dueAtOnce(d, "ARRAY[d.domain_name, 'blog.' || d.domain_name]", false)).isTrue();
    }

    @Test
    void a_revoked_certificate_is_left_alone() {
        String d = domain();
        name(d, "www", "verified");
        assertThat(dueAtOnce(d, "ARRAY[d.domain_name]", true)).isFalse();
    }
}
