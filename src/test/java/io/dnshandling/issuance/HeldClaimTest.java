package io.dnshandling.issuance;

import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.issuance.StepOutcome.Advance;
import io.dnshandling.issuance.StepOutcome.Finalized;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A step that moved its order on is written with the claim kept ({@link OrderStore#recordHeld}),
 * so the next step runs at once in the same replica instead of waiting for a claim: the new state
 * is in the table before the next step starts, the lease is renewed, and a lost claim writes
 * nothing. The orders here are claimed by hand (a token and a lease set in the row), so the
 * service's own reconciler leaves them alone.
 */
@QuarkusTest
class HeldClaimTest {

    @Inject
    OrderStore store;

    @Inject
    Rows rows;

    @Test
    void an_advanced_step_is_written_under_the_same_claim_with_its_lease_renewed() {
        ClaimedOrder o = claimedOrder("held-advance", "validating");

        ClaimedOrder moved = store.recordHeld(o, new Advance(OrderState.FINALIZING, Duration.ZERO)).await().atMost(Duration.ofSeconds(10));

        assertThat(moved).isNotNull();
        assertThat(moved.token()).isEqualTo(o.token());
        assertThat(moved.state()).isEqualTo(OrderState.FINALIZING);
        assertThat(moved.attempts()).isZero();
        assertThat(moved.domainName()).isEqualTo(o.domainName());
        assertThat(rows.string("SELECT state || ' ' || claim_token FROM acme_orders WHERE id = ?", o.id())).isEqualTo("finalizing " + o.token());
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE id = ? AND next_attempt_at > now() + interval '25 seconds'", o.id()))
                .as("lease renewed: no other replica claims it meanwhile").isEqualTo(1);
    }

    @Test
    void a_finalized_step_moves_to_downloading_under_the_same_claim() {
        ClaimedOrder o = claimedOrder("held-finalized", "finalizing");

        ClaimedOrder moved = store.recordHeld(o, new Finalized()).await().atMost(Duration.ofSeconds(10));

        assertThat(moved.state()).isEqualTo(OrderState.DOWNLOADING);
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE id = ? AND finalized_at IS NOT NULL AND claim_token = ?", o.id(), o.token()))
                .isEqualTo(1);
    }

    @Test
    void a_lost_claim_writes_nothing_and_hands_back_no_order() {
        ClaimedOrder o = claimedOrder("held-lost", "validating");
        rows.update("UPDATE acme_orders SET claim_token = 'another-replica' WHERE id = ?", o.id());

        ClaimedOrder moved = store.recordHeld(o, new Advance(OrderState.FINALIZING, Duration.ZERO)).await().atMost(Duration.ofSeconds(10));

        assertThat(moved).isNull();
        assertThat(rows.string("SELECT state || ' ' || claim_token FROM acme_orders WHERE id = ?", o.id()))
                .isEqualTo("validating another-replica");
    }

    /** An order of a new domain in {@code state}, claimed by a token of this test with a lease. */
    private ClaimedOrder claimedOrder(String prefix, String state) {
        RegisteredDomain d = registered(uniqueDomain(prefix));
        String id = RandomIds.id();
        String token = RandomIds.id();
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at, claim_token)
                VALUES (?, ?, 'test', 'test', ?, now() + interval '30 seconds', 3, now(), now() + interval '1 day', now(), now(), ?)""",
                id, d.id(), state, token);
        return new ClaimedOrder(id, token, d.id(), d.domainName(), d.projectSubdomain(), "test", OrderState.fromWire(state), 3, OffsetDateTime.now(),
                OffsetDateTime.now().plusDays(1), null, null, "issue", null, OffsetDateTime.now(), "test");
    }
}
