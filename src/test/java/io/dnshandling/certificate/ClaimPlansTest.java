package io.dnshandling.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.StalePlans;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The claims of due renewals and of ARI re-checks, planned from statistics taken before a bulk
 * change (the domains were pending then, the certificates due months later; now thousands are
 * active and due): each candidate's domain is read once, by key. Written as joins, both claims
 * walked every active domain for each certificate they passed over: 1,179,319 and 76,225 rows read
 * and thrown away by a join here, and one renewal claim of six minutes in a test run against the
 * shared database.
 */
@QuarkusTest // the schema the copies are made from
class ClaimPlansTest {

    /** Certificates passed over (their domain has an open order, or is not active) before the claimable ones. */
    static final int PASSED_OVER = 1500;
    static final int CLAIMABLE = 50;
    static final int LIMIT = 20;

    @Test
    void due_renewals_are_claimed_reading_each_candidates_domain_once_whatever_the_statistics_say() throws Exception {
        try (StalePlans db = new StalePlans("domains", "acme_orders", "certificates")) {
            analyzedWhileSmall(db);
            db.domains("due", PASSED_OVER + CLAIMABLE, "active").orders("due", PASSED_OVER, "awaiting_dns", "now() + interval '1 day'");
            db.update(certificates("due", PASSED_OVER + CLAIMABLE, "now() - interval '2 hours' + i * interval '1 second'", "NULL", "NULL"));

            StalePlans.Run run = db.run(CertificateStore.CLAIM_DUE_RENEWALS,
                    "60, 3600, 60, 10, '{queued,awaiting_dns,validating,finalizing,downloading}', " + LIMIT);

            assertThat(run.returned()).as("claimed").isEqualTo(LIMIT);
            assertThat(claimed(db, "renew_at > now() AND id IN (SELECT md5('cdue' || i) FROM generate_series(%d, %d) i)"
                    .formatted(PASSED_OVER + 1, PASSED_OVER + LIMIT))).as("the first claimable, in renewal order").isEqualTo(LIMIT);
            assertThat(run.joinFilteredRows()).as("rows joins read and threw away; plan: " + run.plan()).isZero();
            assertThat(run.read("domains")).as("domain rows read; plan: " + run.plan()).isLessThanOrEqualTo(2L * (PASSED_OVER + LIMIT));
        }
    }

    @Test
    void ari_rechecks_are_claimed_reading_each_candidates_domain_once_whatever_the_statistics_say() throws Exception {
        try (StalePlans db = new StalePlans("domains", "acme_orders", "certificates")) {
            analyzedWhileSmall(db);
            db.domains("failed", PASSED_OVER, "failed").domains("ari", CLAIMABLE, "active");
            // Last asked days ago: the failed domains' longer ago, so they come first.
            db.update(certificates("failed", PASSED_OVER, "now() + interval '30 days'", "'ari'", "now() - interval '10 days' + i * interval '1 second'"));
            db.update(certificates("ari", CLAIMABLE, "now() + interval '30 days'", "'ari'", "now() - interval '5 days' + i * interval '1 second'"));

            StalePlans.Run run = db.run(RenewalWindows.CLAIM_DUE, "86400, " + LIMIT);

            assertThat(run.returned()).as("claimed").isEqualTo(LIMIT);
            assertThat(claimed(db, "ari_checked_at > now() - interval '1 minute' AND id IN (SELECT md5('cari' || i) FROM generate_series(1, %d) i)"
                    .formatted(LIMIT))).as("the longest unasked of the active domains', marked asked").isEqualTo(LIMIT);
            assertThat(claimed(db, "ari_checked_at > now() - interval '1 minute' AND renewal_source = 'ari'")).as("marked asked in all").isEqualTo(LIMIT);
            assertThat(run.joinFilteredRows()).as("rows joins read and threw away; plan: " + run.plan()).isZero();
            assertThat(run.read("domains")).as("domain rows read; plan: " + run.plan()).isLessThanOrEqualTo(2L * (PASSED_OVER + LIMIT));
        }
    }

    /** What the statistics see: 300 pending domains, each with a certificate due for renewal in 60 days. */
    private static void analyzedWhileSmall(StalePlans db) throws Exception {
        db.domains("small", 300, "pending").orders("small", 300, "valid", "now()");
        db.update(certificates("small", 300, "now() + interval '60 days'", "'ratio'", "now()"));
        db.analyze("domains", "acme_orders", "certificates");
    }

    /** A certificate for each of the domains {@code label}, renewal at {@code renewAt} (over {@code i}), planned by {@code source}. */
    private static String certificates(String label, int count, String renewAt, String source, String asked) {
        return """
                INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after, issued_at,
                                          created_at, renew_at, renewal_source, ari_checked_at, names)
                SELECT md5('c%1$s' || i), md5('%1$s' || i), md5('o%1$s' || i), 'chain', 'key', '01', 'test', now() - interval '60 days',
                       now() + interval '30 days', now(), now(), %3$s, %4$s, %5$s, ARRAY['%1$s-' || i || '.example.com']
                  FROM generate_series(1, %2$d) i""".formatted(label, count, renewAt, source, asked);
    }

    private static long claimed(StalePlans db, String where) throws Exception {
        return db.count("SELECT count(*) FROM certificates WHERE " + where);
    }
}
