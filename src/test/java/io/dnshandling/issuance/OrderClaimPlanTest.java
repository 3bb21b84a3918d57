package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.StalePlans;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's claim of due order steps, planned from statistics taken before a bulk change
 * (a few hundred finished orders then; now thousands open and due): the due orders are locked and
 * taken once, and each claimed order's domain is read once, by key. A guard more than a
 * regression test: the statement as it was (the due orders a subquery joined to the domains)
 * passed it too here; a plan could still have run that subquery again for each domain row.
 */
@QuarkusTest // the schema the copies are made from
class OrderClaimPlanTest {

    static final int DUE = 3000;
    static final int LIMIT = OrderRunner.MAX_IN_FLIGHT;

    @Test
    void due_orders_are_claimed_reading_each_claimed_orders_domain_once_whatever_the_statistics_say() throws Exception {
        try (StalePlans db = new StalePlans("domains", "acme_orders")) {
            db.domains("small", 300, "certificate_pending").orders("small", 300, "valid", "now() - interval '1 day'");
            db.analyze("domains", "acme_orders");
            db.domains("due", DUE, "certificate_pending").orders("due", DUE, "awaiting_dns", "now() - interval '1 minute' + i * interval '1 ms'");

            StalePlans.Run run = db.run(OrderStore.CLAIM, "'token', 30, " + LIMIT);

            assertThat(run.returned()).as("claimed").isEqualTo(LIMIT);
            assertThat(db.count("SELECT count(*) FROM acme_orders WHERE claim_token = 'token' AND id IN (SELECT md5('odue' || i) FROM generate_series(1, %d) i)"
                    .formatted(LIMIT))).as("the longest due, each claimed once").isEqualTo(LIMIT);
            assertThat(run.joinFilteredRows()).as("rows joins read and threw away; plan: " + run.plan()).isZero();
            assertThat(run.read("domains")).as("domain rows read; plan: " + run.plan()).isLessThanOrEqualTo(2L * LIMIT);
        }
    }
}
