package io.dnshandling.issuance;

import io.dnshandling.core.RandomIds;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.DomainTransitions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders table as the reconciler's work queue. A claim takes due rows with
 * {@code FOR UPDATE SKIP LOCKED} and, in the same statement, pushes their due time out by a lease
 * and stamps a claim token: the row lock ends with that short transaction, the lease keeps other
 * replicas away while the step runs, and every outcome is written only if the token still
 * matches. A replica that dies mid-step costs one repeated step once the lease runs out.
 */
@ApplicationScoped
public class OrderStore {

    /**
     * How long a claim keeps other replicas away. Short, so a replica killed mid-step delays its
     * orders by half a minute at most: steps are idempotent and outcomes are written only under
     * the claim token, so a step that outlives its lease costs a repeated request, nothing more.
     */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final String OPEN = "('awaiting_dns', 'validating', 'finalizing', 'downloading')";

    private final Pool pool;
    private final DomainTransitions transitions;

    OrderStore(Pool pool, DomainTransitions transitions) {
        this.pool = pool;
        this.transitions = transitions;
    }

    /** An order as claimed for one step. */
    record Claimed(String id, String token, String domainId, String domainName, String projectSubdomain, String orderUrl, OrderState state,
            int attempts, OffsetDateTime txtDeadline, OffsetDateTime deadline, String keyPem, String lastError,
            String purpose, String replacesCertificateId, OffsetDateTime createdAt) {

        boolean renewal() {
            return !"issue".equals(purpose);
        }
    }

    record ChallengeRow(String id, String authorizationUrl, String challengeUrl, String recordName, String txtValue, String state) {
    }

    Uni<List<Claimed>> claimDue(int limit) {
        String token = RandomIds.id();
        return pool.preparedQuery("""
                UPDATE acme_orders o
                   SET claim_token = $1, next_attempt_at = now() + make_interval(secs => $2), attempts = o.attempts + 1
                  FROM (SELECT id FROM acme_orders
                         WHERE state IN """ + OPEN + """
                           AND next_attempt_at <= now()
                         ORDER BY next_attempt_at
                         LIMIT $3
                         FOR UPDATE SKIP LOCKED) due, domains d
                 WHERE o.id = due.id AND d.id = o.domain_id
                RETURNING o.id, o.domain_id, d.domain_name, d.project_subdomain, o.order_url, o.state, o.attempts, o.txt_deadline, o.deadline,
                          o.certificate_key_pem, o.last_error, o.purpose, o.replaces_certificate_id, o.created_at""")
                .execute(Tuple.of(token, (double) LEASE.toSeconds(), limit))
                .map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Claimed(r.getString("id"), token, r.getString("domain_id"), r.getString("domain_name"),
                                r.getString("project_subdomain"), r.getString("order_url"), OrderState.fromWire(r.getString("state")), r.getInteger("attempts"),
                                r.getOffsetDateTime("txt_deadline"), r.getOffsetDateTime("deadline"),
                                r.getString("certificate_key_pem"), r.getString("last_error"),
                                r.getString("purpose"), r.getString("replaces_certificate_id"), r.getOffsetDateTime("created_at")));
                    }
                    return out;
                });
    }

    /** How long until the next open order is due, if any (capped by the caller). */
    Uni<Duration> untilNextDue() {
        return pool.query("SELECT EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) AS s FROM acme_orders WHERE state IN " + OPEN)
                .execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    Double s = r.getDouble("s");
                    return s == null ? null : Duration.ofMillis(Math.max(0, (long) (s * 1000)));
                });
    }

    Uni<List<ChallengeRow>> challenges(String orderId) {
        return pool.preparedQuery("SELECT id, authorization_url, challenge_url, record_name, txt_value, state FROM acme_challenges WHERE order_id = $1 ORDER BY id")
                .execute(Tuple.of(orderId))
                .map(rows -> {
                    List<ChallengeRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new ChallengeRow(r.getString("id"), r.getString("authorization_url"), r.getString("challenge_url"),
                                r.getString("record_name"), r.getString("txt_value"), r.getString("state")));
                    }
                    return out;
                });
    }

    /** Moves to {@code next}, due after {@code delay}; false when the claim was lost. */
    Uni<Boolean> advance(Claimed o, OrderState next, Duration delay) {
        return pool.preparedQuery("""
                UPDATE acme_orders SET state = $1, next_attempt_at = now() + make_interval(secs => $2), attempts = 0,
                       last_error = NULL, claim_token = NULL, updated_at = now()
                 WHERE id = $3 AND claim_token = $4""")
                .execute(Tuple.of(next.wire(), seconds(delay), o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Boolean> markChallengesTriggered(Claimed o) {
        return pool.preparedQuery("UPDATE acme_challenges SET state = 'triggered' WHERE order_id = $1 AND state = 'pending'")
                .execute(Tuple.of(o.id())).replaceWith(true);
    }

    /** Same state again after {@code delay}, remembering why. */
    Uni<Boolean> retry(Claimed o, Duration delay, String why) {
        org.jboss.logging.Logger.getLogger(OrderStore.class).debugf("order %s: again in %d ms: %s", o.id(), delay.toMillis(), why);
        return pool.preparedQuery("""
                UPDATE acme_orders SET next_attempt_at = now() + make_interval(secs => $1), last_error = $2,
                       claim_token = NULL, updated_at = now()
                 WHERE id = $3 AND claim_token = $4""")
                .execute(Tuple.of(seconds(delay), why, o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Keeps the certificate key before the CSR goes out, so a retried finalize reuses it. */
    Uni<Boolean> saveKey(Claimed o, String keyPem) {
        return pool.preparedQuery("UPDATE acme_orders SET certificate_key_pem = $1, updated_at = now() WHERE id = $2 AND claim_token = $3")
                .execute(Tuple.of(keyPem, o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    Uni<Boolean> markFinalized(Claimed o) {
        return pool.preparedQuery("""
                UPDATE acme_orders SET state = 'downloading', finalized_at = now(), next_attempt_at = now(), attempts = 0,
                       last_error = NULL, claim_token = NULL, updated_at = now()
                 WHERE id = $1 AND claim_token = $2""")
                .execute(Tuple.of(o.id(), o.token()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends the order as failed. A domain waiting for its first certificate becomes failed with the
     * reason; a renewal (or re-issue) leaves the domain active, records the reason on the
     * certificate it was to replace and plans the next attempt there.
     */
    Uni<Boolean> fail(Claimed o, String reason) {
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
                    return renewalFailed(conn, o.replacesCertificateId(), reason).replaceWith(true);
                }));
    }

    /** Records why a renewal failed and when the next one is due (backoff capped by the time left). */
    Uni<Void> renewalFailed(SqlConnection conn, String certificateId, String reason) {
        if (certificateId == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT renewal_attempts, not_after FROM certificates WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(certificateId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    Row r = rows.iterator().next();
                    int attempts = r.getInteger("renewal_attempts") + 1;
                    Duration wait = RenewalPlan.retryAfter(attempts, java.time.Instant.now(), r.getOffsetDateTime("not_after").toInstant());
                    return conn.preparedQuery("""
                                    UPDATE certificates SET renewal_attempts = $1, renewal_error = $2,
                                           renew_at = now() + make_interval(secs => $3)
                                     WHERE id = $4 AND revoked_at IS NULL""")
                            .execute(Tuple.of(attempts, reason, seconds(wait), certificateId)).replaceWithVoid();
                });
    }

    record StoredCertificate(String chainPem, String keyPem, String serial, String issuer, OffsetDateTime notBefore,
            OffsetDateTime notAfter, OffsetDateTime renewAt, String renewalSource) {
    }

    /** Stores the certificate, closes the order and makes the domain active, in one transaction. */
    Uni<Boolean> complete(Claimed o, StoredCertificate c) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE acme_orders SET state = 'valid', last_error = NULL, claim_token = NULL, updated_at = now()
                         WHERE id = $1 AND claim_token = $2""")
                .execute(Tuple.of(o.id(), o.token()))
                .chain(rows -> rows.rowCount() != 1 ? Uni.createFrom().item(false) : insertCertificate(conn, o, c)
                        // Only the newest certificate is renewed; the ones it replaces rest.
                        .chain(id -> conn.preparedQuery("UPDATE certificates SET renew_at = NULL WHERE domain_id = $1 AND id <> $2")
                                .execute(Tuple.of(o.domainId(), id)))
                        .chain(() -> transitions.move(conn, o.domainId(), DomainStatus.CERTIFICATE_PENDING, DomainStatus.ACTIVE, null))
                        .replaceWith(true)));
    }

    /** Timestamps keep full precision so the newest certificate is unambiguous; the API shows whole seconds. */
    private Uni<String> insertCertificate(SqlConnection conn, Claimed o, StoredCertificate c) {
        String id = RandomIds.id();
        return conn.preparedQuery("""
                        INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer,
                                                  not_before, not_after, renew_at, renewal_source, issued_at, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, clock_timestamp(), clock_timestamp())""")
                .execute(Tuple.from(List.of(id, o.domainId(), o.id(), c.chainPem(), c.keyPem(), c.serial(), c.issuer(),
                        c.notBefore(), c.notAfter(), c.renewAt(), c.renewalSource())))
                .replaceWith(id);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
