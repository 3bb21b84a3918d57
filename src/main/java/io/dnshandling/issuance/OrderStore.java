package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.RandomIds;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.DomainTransitions;
import io.dnshandling.issuance.StepOutcome.Advance;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Finalized;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.Stored;
import io.dnshandling.issuance.StepOutcome.Triggered;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one owner of {@code acme_orders} and {@code acme_challenges}, and the reconciler's work
 * queue. A claim takes due rows with {@code FOR UPDATE SKIP LOCKED} and, in the same statement,
 * pushes their due time out by a lease and stamps a claim token: the row lock ends with that
 * short transaction, the lease keeps other replicas away while the step runs, and every outcome
 * is written only if the token still matches. The lease is short ({@code ACME_CLAIM_LEASE}, 30 s):
 * a replica that dies mid-step delays its orders by that at most and costs one repeated step,
 * and a step that outlives its lease costs a repeated request, nothing more. Challenges are
 * {@link ChallengeStore}'s. {@link IssuanceService} opens the orders; the steps move them on.
 */
@ApplicationScoped
@Startup // made at start, so a lease too short stops the start rather than the first pass
public class OrderStore implements OrderRecords {

    private static final Logger LOG = Logger.getLogger(OrderStore.class);
    private static final Duration SHORTEST_LEASE = OrderRunner.MAX_HELD.multipliedBy(2); // twice the longest a claim is held

    private final Pool pool;
    private final DomainTransitions transitions;
    private final CertificateStore certificates;
    private final ChallengeStore challenges;
    private final Duration lease; // ACME_CLAIM_LEASE

    OrderStore(Pool pool, DomainTransitions transitions, CertificateStore certificates, ChallengeStore challenges, AcmeConfig config) {
        this.lease = config.claimLease();
        if (lease.compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalStateException("ACME_CLAIM_LEASE must be at least " + SHORTEST_LEASE.toSeconds() + "s, not " + lease.toMillis() + "ms");
        }
        this.pool = pool;
        this.transitions = transitions;
        this.certificates = certificates;
        this.challenges = challenges;
    }

    Uni<List<ClaimedOrder>> claimDue(int limit) {
        String token = RandomIds.id();
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(token, seconds(lease), limit))
                .map(rows -> {
                    List<ClaimedOrder> out = new ArrayList<>();
                    rows.forEach(r -> out.add(claimed(r, token)));
                    return out;
                });
    }

    /** What a claim returns of an order and its domain, the domain's columns looked up by key. */
    private static final String CLAIMED = """
            o.id, o.domain_id, (SELECT d.domain_name FROM domains d WHERE d.id = o.domain_id) AS domain_name,
            (SELECT d.project_subdomain FROM domains d WHERE d.id = o.domain_id) AS project_subdomain, o.order_url, o.state, o.attempts,
            o.txt_deadline, o.deadline, o.certificate_key_pem, o.last_error, o.purpose, o.replaces_certificate_id, o.created_at, o.directory_url""";

    /**
     * The open states are written in, not passed, so PostgreSQL keeps one plan (the due-time index):
     * passed, it planned anew on 12,227 of 16,149 claims, 0.68 ms each against 0.26 ms to run one.
     * The due rows are locked and taken once (a materialized CTE) and no table is joined, so no plan,
     * however old its statistics, walks one table for each row of another ({@code OrderClaimPlanTest}).
     */
    static final String CLAIM = """
            WITH due AS MATERIALIZED (
                SELECT id FROM acme_orders WHERE state IN (%s) AND next_attempt_at <= now()
                 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            UPDATE acme_orders o
               SET claim_token = $1, next_attempt_at = now() + make_interval(secs => $2), attempts = o.attempts + 1
              FROM due WHERE o.id = due.id
            RETURNING %s""".formatted(OrderState.sqlList(OrderState.OPEN), CLAIMED);

    private static ClaimedOrder claimed(Row r, String token) {
        return new ClaimedOrder(r.getString("id"), token, r.getString("domain_id"), r.getString("domain_name"), r.getString("project_subdomain"),
                r.getString("order_url"), OrderState.fromWire(r.getString("state")), r.getInteger("attempts"), r.getOffsetDateTime("txt_deadline"),
                r.getOffsetDateTime("deadline"), r.getString("certificate_key_pem"), r.getString("last_error"), r.getString("purpose"),
                r.getString("replaces_certificate_id"), r.getOffsetDateTime("created_at"), r.getString("directory_url"));
    }

    /**
     * Writes a step that moved the order on (advanced, triggered, finalized) and keeps the claim, its
     * lease renewed, for the next step to run at once in this replica: the order as it now is, or
     * null when the claim was lost. Saves the claim and the pass the next step would otherwise wait for.
     */
    Uni<ClaimedOrder> recordHeld(ClaimedOrder o, StepOutcome outcome) {
        return movedOn(o, outcome, true).map(rows -> rows.rowCount() == 1 ? claimed(rows.iterator().next(), o.token()) : null);
    }

    /**
     * An outcome that moved the order on, written: its next state, due when the outcome says, the
     * claim released; or, {@code held}, the claim kept and due when its lease ends.
     */
    private Uni<RowSet<Row>> movedOn(ClaimedOrder o, StepOutcome outcome, boolean held) {
        OrderState next = outcome instanceof Advance a ? a.next() : outcome instanceof Triggered ? OrderState.VALIDATING : OrderState.DOWNLOADING;
        Duration due = held ? lease : StepOutcome.movedOnAfter(outcome);
        String set = "state = $3, next_attempt_at = now() + make_interval(secs => $4), attempts = 0, last_error = NULL, updated_at = now()"
                + (outcome instanceof Finalized ? ", finalized_at = now()" : "") + (held ? "" : ", claim_token = NULL");
        Uni<Void> marked = outcome instanceof Triggered ? challenges.markTriggered(o.id()) : Uni.createFrom().voidItem();
        return marked.chain(() -> pool.preparedQuery("UPDATE acme_orders o SET " + set + " WHERE o.id = $1 AND o.claim_token = $2 RETURNING " + CLAIMED)
                .execute(Tuple.of(o.id(), o.token(), next.wire(), seconds(due))));
    }

    @Override
    public Uni<List<Challenge>> challenges(String orderId) {
        return challenges.of(orderId);
    }

    @Override
    public Uni<Boolean> saveKey(ClaimedOrder o, String encryptedKey) {
        return pool.preparedQuery("UPDATE acme_orders SET certificate_key_pem = $1, updated_at = now() WHERE id = $2 AND claim_token = $3")
                .execute(Tuple.of(encryptedKey, o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Hands back claims of this replica's steps (order id to token): due at once, for any replica. */
    Uni<Void> release(Map<String, String> claims) {
        List<Tuple> rows = claims.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
        return rows.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery("UPDATE acme_orders SET claim_token = NULL, next_attempt_at = now() WHERE id = $1 AND claim_token = $2")
                        .executeBatch(rows).replaceWithVoid();
    }

    /** Writes what a step decided; false when the claim was lost (another replica's step wins). */
    Uni<Boolean> record(ClaimedOrder o, StepOutcome outcome) {
        if (StepOutcome.movedOnAfter(outcome) != null) {
            return movedOn(o, outcome, false).map(rows -> rows.rowCount() == 1);
        } else if (outcome instanceof Retry r) {
            LOG.debugf("order %s: again in %d ms: %s", o.id(), r.after().toMillis(), r.why());
            return update(o, "next_attempt_at = now() + make_interval(secs => $3), last_error = $4", List.of(seconds(r.after()), r.why()));
        } else if (outcome instanceof Fail f) {
            return fail(o, f.reason());
        } else if (outcome instanceof StepOutcome.SentToCa sent) {
            return sent(o, sent);
        }
        return complete(o, (Stored) outcome);
    }

    /** {@code UPDATE … SET <set>} of the claimed row, releasing the claim; {@code $1}, {@code $2} are id and token. */
    private Uni<Boolean> update(ClaimedOrder o, String set, List<Object> more) {
        List<Object> params = new ArrayList<>(List.of(o.id(), o.token()));
        params.addAll(more);
        return pool.preparedQuery("UPDATE acme_orders SET " + set + ", claim_token = NULL, updated_at = now() WHERE id = $1 AND claim_token = $2")
                .execute(Tuple.from(params))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the order as failed. A domain waiting for its first certificate becomes failed with the
     * reason; a renewal (or re-issue) leaves the domain active, records the reason on the
     * certificate it was to replace and plans the next attempt there.
     */
    private Uni<Boolean> fail(ClaimedOrder o, String reason) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE acme_orders SET state = 'failed', last_error = $1, claim_token = NULL, updated_at = now()
                         WHERE id = $2 AND claim_token = $3""")
                .execute(Tuple.of(reason, o.id(), o.token()))
                .chain(rows -> {
                    if (rows.rowCount() != 1) {
                        return Uni.createFrom().item(false);
                    }
                    if (!o.renewal()) {
                        return transitions.move(conn, o.domainId(), DomainStatus.CERTIFICATE_PENDING, DomainStatus.FAILED, reason).replaceWith(true);
                    }
                    return certificates.renewalFailed(conn, o.replacesCertificateId(), reason).replaceWith(true);
                }));
    }

    /** Stores the certificate, closes the order and makes the domain active, in one transaction. */
    private Uni<Boolean> complete(ClaimedOrder o, Stored stored) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE acme_orders SET state = 'valid', last_error = NULL, certificate_key_pem = NULL, claim_token = NULL, updated_at = now()
                         WHERE id = $1 AND claim_token = $2""")
                .execute(Tuple.of(o.id(), o.token()))
                .chain(rows -> rows.rowCount() != 1 ? Uni.createFrom().item(false)
                        : certificates.insertCurrent(conn, o.domainId(), o.id(), stored.certificate())
                                .chain(() -> transitions.move(conn, o.domainId(), DomainStatus.CERTIFICATE_PENDING, DomainStatus.ACTIVE, null))
                                .replaceWith(true)));
    }

    /** An order over budget, not yet sent to the CA, inside the caller's transaction; due when the budget allows. */
    Uni<Void> insertQueued(SqlConnection conn, String id, String domainId, String directory, String purpose, String replacesId,
            OrderBudget.Wait wait) {
        return conn.preparedQuery("""
                        INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, last_error,
                                                 txt_deadline, deadline, created_at, updated_at, purpose, replaces_certificate_id)
                        VALUES ($1, $2, $3, NULL, 'queued', $4::timestamptz, 0, $5, $4::timestamptz, $4::timestamptz + make_interval(days => $6), now(), now(), $7, $8)""")
                .execute(Tuple.from(Arrays.asList(id, domainId, directory, wait.until().atOffset(java.time.ZoneOffset.UTC), wait.reason(),
                        (int) QueuedOrders.GIVE_UP.toDays(), purpose, replacesId)))
                .replaceWithVoid();
    }

    /** A queued order the CA has now opened: its URL, fresh deadlines and its challenges, under the claim. */
    private Uni<Boolean> sent(ClaimedOrder o, StepOutcome.SentToCa sent) {
        OpenedOrder opened = sent.opened();
        OrderState first = opened.challenges().isEmpty() ? OrderState.FINALIZING : OrderState.AWAITING_DNS;
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE acme_orders SET order_url = $3, replaces_ari_id = $4, state = $5, next_attempt_at = now(), attempts = 0,
                               last_error = NULL, txt_deadline = now() + make_interval(secs => $6),
                               deadline = now() + make_interval(secs => $7), claim_token = NULL, updated_at = now(), directory_url = $8
                         WHERE id = $1 AND claim_token = $2""")
                .execute(Tuple.from(Arrays.asList(o.id(), o.token(), opened.orderUrl(), opened.replacesAriId(), first.wire(),
                        seconds(sent.txtTimeout()), seconds(sent.txtTimeout().plus(sent.orderTimeout())), sent.directory())))
                .chain(rows -> rows.rowCount() != 1 ? Uni.createFrom().item(false)
                        : challenges.insert(conn, o.id(), opened).replaceWith(true)));
    }

    /** A new order, as the CA opened it, and its challenges, inside the caller's transaction. */
    Uni<Void> insert(SqlConnection conn, NewOrder order) {
        OpenedOrder opened = order.opened();
        OrderState first = opened.challenges().isEmpty() ? OrderState.FINALIZING : OrderState.AWAITING_DNS;
        Uni<Void> inserted = conn.preparedQuery("""
                        INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline,
                                                 deadline, created_at, updated_at, purpose, replaces_certificate_id, replaces_ari_id)
                        VALUES ($1, $2, $3, $4, $5, now(), 0, now() + make_interval(secs => $6),
                                now() + make_interval(secs => $7), now(), now(), $8, $9, $10)""")
                .execute(Tuple.from(Arrays.asList(order.id(), order.domainId(), order.directory(), opened.orderUrl(), first.wire(),
                        seconds(order.txtTimeout()), seconds(order.txtTimeout().plus(order.orderTimeout())), order.purpose(),
                        order.replacesCertificateId(), opened.replacesAriId())))
                .replaceWithVoid();
        return inserted.chain(() -> challenges.insert(conn, order.id(), opened));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
