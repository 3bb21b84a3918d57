package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.RandomIds;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.DomainTransitions;
import io.dnshandling.issuance.StepOutcome.Advance;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Finalized;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.Stored;
import io.dnshandling.issuance.StepOutcome.Triggered;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
 * is written only if the token still matches. A replica that dies mid-step costs one repeated
 * step once the lease runs out. {@link IssuanceService} opens the orders; the steps move them on.
 */
@ApplicationScoped
public class OrderStore implements OrderRecords {

    private static final Logger LOG = Logger.getLogger(OrderStore.class);
    /**
     * How long a claim keeps other replicas away. Short, so a replica killed mid-step delays its
     * orders by half a minute at most: steps are idempotent and outcomes are written only under
     * the claim token, so a step that outlives its lease costs a repeated request, nothing more.
     */
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final String[] OPEN = OrderState.wire(OrderState.OPEN);
    private static final String[] PUBLISHING = OrderState.wire(OrderState.PUBLISHING);

    private final Pool pool;
    private final DomainTransitions transitions;
    private final CertificateStore certificates;

    OrderStore(Pool pool, DomainTransitions transitions, CertificateStore certificates) {
        this.pool = pool;
        this.transitions = transitions;
        this.certificates = certificates;
    }

    Uni<List<ClaimedOrder>> claimDue(int limit) {
        String token = RandomIds.id();
        return pool.preparedQuery("""
                UPDATE acme_orders o
                   SET claim_token = $1, next_attempt_at = now() + make_interval(secs => $2), attempts = o.attempts + 1
                  FROM (SELECT id FROM acme_orders
                         WHERE state = ANY($4) AND next_attempt_at <= now()
                         ORDER BY next_attempt_at
                         LIMIT $3
                         FOR UPDATE SKIP LOCKED) due, domains d
                 WHERE o.id = due.id AND d.id = o.domain_id
                RETURNING o.id, o.domain_id, d.domain_name, d.project_subdomain, o.order_url, o.state, o.attempts, o.txt_deadline, o.deadline,
                          o.certificate_key_pem, o.last_error, o.purpose, o.replaces_certificate_id, o.created_at""")
                .execute(Tuple.of(token, (double) LEASE.toSeconds(), limit, OPEN))
                .map(rows -> {
                    List<ClaimedOrder> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new ClaimedOrder(r.getString("id"), token, r.getString("domain_id"), r.getString("domain_name"),
                                r.getString("project_subdomain"), r.getString("order_url"), OrderState.fromWire(r.getString("state")),
                                r.getInteger("attempts"), r.getOffsetDateTime("txt_deadline"), r.getOffsetDateTime("deadline"),
                                r.getString("certificate_key_pem"), r.getString("last_error"),
                                r.getString("purpose"), r.getString("replaces_certificate_id"), r.getOffsetDateTime("created_at")));
                    }
                    return out;
                });
    }

    /** How long until the next open order is due, if any (capped by the caller). */
    Uni<Duration> untilNextDue() {
        return pool.preparedQuery("SELECT EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) AS s FROM acme_orders WHERE state = ANY($1)")
                .execute(Tuple.of((Object) OPEN))
                .map(rows -> {
                    Double s = rows.iterator().next().getDouble("s");
                    return s == null ? null : Duration.ofMillis(Math.max(0, (long) (s * 1000)));
                });
    }

    /** The open order of {@code domainId}, if any. */
    Uni<String> openOrderOf(String domainId) {
        return pool.preparedQuery("SELECT id FROM acme_orders WHERE domain_id = $1 AND state = ANY($2)")
                .execute(Tuple.of(domainId, OPEN))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("id") : null);
    }

    /** Open orders by state, for the gauges. */
    Uni<Map<OrderState, Long>> countOpenByState() {
        return pool.preparedQuery("SELECT state, count(*) AS n FROM acme_orders WHERE state = ANY($1) GROUP BY state")
                .execute(Tuple.of((Object) OPEN))
                .map(rows -> {
                    Map<OrderState, Long> out = new EnumMap<>(OrderState.class);
                    rows.forEach(r -> out.put(OrderState.fromWire(r.getString("state")), r.getLong("n")));
                    return out;
                });
    }

    /** The dns-01 values published for the domains with these project subdomains (all when null), by subdomain. */
    Uni<List<Map.Entry<String, String>>> publishedChallenges(String[] projectSubdomains) {
        return pool.preparedQuery("""
                        SELECT d.project_subdomain, c.txt_value
                          FROM acme_challenges c JOIN acme_orders o ON o.id = c.order_id JOIN domains d ON d.id = o.domain_id
                         WHERE o.state = ANY($1) AND c.txt_value IS NOT NULL AND ($2::text[] IS NULL OR d.project_subdomain = ANY($2))""")
                .execute(Tuple.of(PUBLISHING, projectSubdomains))
                .map(rows -> {
                    List<Map.Entry<String, String>> out = new ArrayList<>();
                    rows.forEach(r -> out.add(Map.entry(r.getString("project_subdomain"), r.getString("txt_value"))));
                    return out;
                });
    }

    @Override
    public Uni<List<Challenge>> challenges(String orderId) {
        return pool.preparedQuery("SELECT id, authorization_url, challenge_url, record_name, txt_value, state FROM acme_challenges WHERE order_id = $1 ORDER BY id")
                .execute(Tuple.of(orderId))
                .map(rows -> {
                    List<Challenge> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Challenge(r.getString("id"), r.getString("authorization_url"), r.getString("challenge_url"),
                                r.getString("record_name"), r.getString("txt_value"), r.getString("state")));
                    }
                    return out;
                });
    }

    @Override
    public Uni<Boolean> saveKey(ClaimedOrder o, String encryptedKey) {
        return pool.preparedQuery("UPDATE acme_orders SET certificate_key_pem = $1, updated_at = now() WHERE id = $2 AND claim_token = $3")
                .execute(Tuple.of(encryptedKey, o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes what a step decided; false when the claim was lost (another replica's step wins). */
    Uni<Boolean> record(ClaimedOrder o, StepOutcome outcome) {
        if (outcome instanceof Advance a) {
            return advance(o, a.next(), a.after(), false);
        } else if (outcome instanceof Triggered t) {
            return advance(o, OrderState.VALIDATING, t.after(), true);
        } else if (outcome instanceof Finalized) {
            return update(o, "state = 'downloading', finalized_at = now(), next_attempt_at = now(), attempts = 0, last_error = NULL", List.of());
        } else if (outcome instanceof Retry r) {
            LOG.debugf("order %s: again in %d ms: %s", o.id(), r.after().toMillis(), r.why());
            return update(o, "next_attempt_at = now() + make_interval(secs => $3), last_error = $4", List.of(seconds(r.after()), r.why()));
        } else if (outcome instanceof Fail f) {
            return fail(o, f.reason());
        }
        return complete(o, (Stored) outcome);
    }

    private Uni<Boolean> advance(ClaimedOrder o, OrderState next, Duration after, boolean triggered) {
        Uni<Void> challenges = !triggered ? Uni.createFrom().voidItem()
                : pool.preparedQuery("UPDATE acme_challenges SET state = 'triggered' WHERE order_id = $1 AND state = 'pending'")
                        .execute(Tuple.of(o.id())).replaceWithVoid();
        return challenges.chain(() -> update(o, "state = $3, next_attempt_at = now() + make_interval(secs => $4), attempts = 0, last_error = NULL",
                List.of(next.wire(), seconds(after))));
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
                        UPDATE acme_orders SET state = 'valid', last_error = NULL, claim_token = NULL, updated_at = now()
                         WHERE id = $1 AND claim_token = $2""")
                .execute(Tuple.of(o.id(), o.token()))
                .chain(rows -> rows.rowCount() != 1 ? Uni.createFrom().item(false)
                        : certificates.insertCurrent(conn, o.domainId(), o.id(), stored.certificate())
                                .chain(() -> transitions.move(conn, o.domainId(), DomainStatus.CERTIFICATE_PENDING, DomainStatus.ACTIVE, null))
                                .replaceWith(true)));
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
        if (opened.challenges().isEmpty()) {
            return inserted;
        }
        List<Tuple> rows = opened.challenges().stream().map(c -> Tuple.from(List.of(RandomIds.id(), order.id(), c.authorizationUrl(),
                c.challengeUrl(), c.recordName(), c.txtValue()))).toList();
        return inserted.chain(() -> conn.preparedQuery("""
                        INSERT INTO acme_challenges (id, order_id, authorization_url, challenge_url, record_name, txt_value, state, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, 'pending', now())""")
                .executeBatch(rows)).replaceWithVoid();
    }

    /** An order to record: who asked, why, and what the CA answered. */
    record NewOrder(String id, String domainId, String directory, OpenedOrder opened, String purpose, String replacesCertificateId,
            Duration txtTimeout, Duration orderTimeout) {
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
