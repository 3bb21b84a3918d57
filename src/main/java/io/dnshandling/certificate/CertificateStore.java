package io.dnshandling.certificate;

import io.dnshandling.core.Backoff;
import io.dnshandling.secrets.KeyVault;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of the {@code certificates} table. What the API reads and changes goes through
 * the {@link StoredCertificate} entity (Panache); what must happen inside another unit of work's
 * transaction (storing the certificate an order produced, recording a failed renewal) or claims
 * rows with {@code FOR UPDATE SKIP LOCKED} is SQL on the caller's connection, here and nowhere else.
 */
@ApplicationScoped
public class CertificateStore {

    private final Pool pool;
    private final Clock clock;

    CertificateStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** The current certificate of {@code domainId}: the newest stored, revoked or not; null when none. */
    public Uni<StoredCertificate> current(String domainId) {
        return Panache.withSession(() -> StoredCertificate.<StoredCertificate>find("domainId = ?1 order by issuedAt desc", domainId)
                .firstResult());
    }

    /** Records that {@code certificateId} was revoked for {@code reason}; it is no longer renewed. */
    public Uni<StoredCertificate> markRevoked(String certificateId, String reason) {
        return Panache.withTransaction(() -> StoredCertificate.<StoredCertificate>findById(certificateId).invoke(c -> {
            c.revokedAt = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
            c.revocationReason = reason;
            c.renewAt = null;
        }));
    }

    /**
     * Stores {@code c} as the current certificate of {@code domainId} inside the caller's
     * transaction; the ones it replaces are no longer renewed. Timestamps keep full precision so
     * the newest certificate is unambiguous; the API shows whole seconds.
     */
    public Uni<String> insertCurrent(SqlConnection conn, String domainId, String orderId, NewCertificate c) {
        String id = c.id();
        return conn.preparedQuery("""
                        INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer,
                                                  not_before, not_after, renew_at, renewal_source, issued_at, created_at, ari_checked_at, names,
                                                  acme_directory)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, clock_timestamp(), clock_timestamp(),
                                CASE WHEN $12 THEN clock_timestamp() END, $13, (SELECT directory_url FROM acme_orders WHERE id = $3))""")
                .execute(Tuple.from(List.of(id, domainId, orderId, c.chainPem(), c.keyPem(), c.serial(), c.issuer(),
                        c.notBefore(), c.notAfter(), c.renewAt(), c.renewalSource(), "ari".equals(c.renewalSource()),
                        c.names().toArray(String[]::new))))
                .chain(() -> conn.preparedQuery("UPDATE certificates SET renew_at = NULL WHERE domain_id = $1 AND id <> $2")
                        .execute(Tuple.of(domainId, id)))
                .replaceWith(id);
    }

    /** Where a certificate's private key is stored, for its encryption to be bound to the row. */
    public static KeyVault.Binding keyAt(String certificateId) {
        return new KeyVault.Binding("certificates", "private_key_pem", certificateId);
    }

    /** Records why a renewal failed and when the next one is due (backoff capped by the time left). */
    public Uni<Void> renewalFailed(SqlConnection conn, String certificateId, String reason) {
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
                    Duration wait = RenewalPlan.retryAfter(attempts, clock.instant(), r.getOffsetDateTime("not_after").toInstant());
                    return conn.preparedQuery("""
                                    UPDATE certificates SET renewal_attempts = $1, renewal_error = $2,
                                           renewal_failing_since = COALESCE(renewal_failing_since, now()),
                                           renew_at = now() + make_interval(secs => $3)
                                     WHERE id = $4 AND revoked_at IS NULL""")
                            .execute(Tuple.of(attempts, reason, wait.toMillis() / 1000.0, certificateId)).replaceWithVoid();
                });
    }

    /** A certificate whose renewal is due, as claimed. */
    public record DueRenewal(String certificateId, String chainPem, String domainId, String domainName, int attempts, String directory) {
    }

    /**
     * Takes up to {@code limit} certificates whose renewal is due (the current, unrevoked
     * certificate of an active domain with no order in one of {@code openOrderStates}) and, in the
     * same statement, moves their renewal time out by {@link RenewalPlan#RETRY}, capped by a tenth
     * of the time left: a replica that dies mid-way, or a CA that is down, only delays the next try.
     */
    public Uni<List<DueRenewal>> claimDueRenewals(int limit, String[] openOrderStates) {
        return pool.preparedQuery(CLAIM_DUE_RENEWALS)
                .execute(Tuple.from(List.of(RenewalPlan.MIN_RETRY.toMillis() / 1000.0, RenewalPlan.RETRY.capSeconds(),
                        RenewalPlan.RETRY.firstSeconds(), Backoff.MAX_DOUBLINGS, openOrderStates, limit)))
                .map(rows -> {
                    List<DueRenewal> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new DueRenewal(r.getString("id"), r.getString("chain_pem"), r.getString("domain_id"),
                                r.getString("domain_name"), r.getInteger("renewal_attempts"), r.getString("acme_directory")));
                    }
                    return out;
                });
    }

    /**
     * The due certificates in renewal order, each one's domain and open order looked up by key
     * (subqueries PostgreSQL runs per certificate and never turns into joins), locked and taken
     * once (a materialized CTE). Written as joins, a plan made on statistics older than a bulk
     * change walked every active domain for each certificate: one claim ran six minutes in a test
     * run whose tables had taken thousands of rows since they were last analyzed ({@code ClaimPlansTest}).
     */
    static final String CLAIM_DUE_RENEWALS = """
            WITH due AS MATERIALIZED (
                SELECT c2.id FROM certificates c2
                 WHERE c2.renew_at <= now() AND c2.revoked_at IS NULL
                   AND (SELECT d.status FROM domains d WHERE d.id = c2.domain_id) = 'active'
                   AND (SELECT 1 FROM acme_orders o WHERE o.domain_id = c2.domain_id AND o.state = ANY($5) LIMIT 1) IS NULL
                 ORDER BY c2.renew_at LIMIT $6
                 FOR UPDATE OF c2 SKIP LOCKED)
            UPDATE certificates c
               SET renew_at = now() + make_interval(secs => GREATEST($1, LEAST($2,
                       $3 * power(2, LEAST(c.renewal_attempts, $4)),
                       EXTRACT(EPOCH FROM (c.not_after - now())) / 10)))
              FROM due
             WHERE c.id = due.id
            RETURNING c.id, c.chain_pem, c.domain_id, (SELECT d.domain_name FROM domains d WHERE d.id = c.domain_id) AS domain_name,
                      c.renewal_attempts, c.acme_directory""";

    /** Active domains whose current certificate's renewal is failing. */
    public Uni<Long> countFailingRenewals() {
        return pool.query("""
                        SELECT count(*) AS n FROM certificates c JOIN domains d ON d.id = c.domain_id
                         WHERE d.status = 'active' AND c.revoked_at IS NULL AND c.renewal_error IS NOT NULL
                           AND c.renew_at IS NOT NULL""")
                .execute().map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Time-left buckets of {@code certificates_expiring{within}}. */
    /**
     * The current, unrevoked certificate of an active domain, what the TLS terminators should hold
     * for it, with the names it covers (the domain first).
     */
    public record Deliverable(String domainId, String domainName, String certificateId, String serial, OffsetDateTime notAfter,
            List<String> names) {
    }

    /** Every active domain's deliverable certificate. */
    public Uni<List<Deliverable>> deliverable() {
        return deliverable(null, null);
    }

    /**
     * The deliverable certificates that cover {@code serverName}, by name or by a wildcard one
     * label up ({@code *.shop.example.com} for {@code www.shop.example.com}), for a name the
     * domain still wants; those naming it exactly first.
     */
    public Uni<List<Deliverable>> deliverable(String serverName) {
        int dot = serverName.indexOf('.');
        boolean parentHasTwoLabels = dot > 0 && serverName.indexOf('.', dot + 1) > 0;
        String[] candidates = parentHasTwoLabels ? new String[] {serverName, "*" + serverName.substring(dot)} : new String[] {serverName};
        return deliverable(serverName, candidates);
    }

    private Uni<List<Deliverable>> deliverable(String exact, String[] candidates) {
        return pool.preparedQuery("""
                        SELECT domain_id, domain_name, id, serial, not_after, names FROM (
                          SELECT DISTINCT ON (c.domain_id) c.domain_id, d.domain_name, c.id, c.serial, c.not_after, c.revoked_at, c.names
                            FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active'
                           WHERE $1::text[] IS NULL
                              OR c.domain_id IN (SELECT domain_id FROM certificates WHERE names && $1::text[])
                           ORDER BY c.domain_id, c.issued_at DESC) current
                         WHERE revoked_at IS NULL
                           AND ($1::text[] IS NULL
                                OR current.names && $1::text[]
                                   AND (current.domain_name = ANY($1::text[])
                                        OR EXISTS (SELECT 1 FROM domain_names n WHERE n.domain_id = current.domain_id
                                                    AND n.status = 'verified' AND n.name = ANY($1::text[]))))
                         ORDER BY current.names @> ARRAY[$2::text] DESC, current.domain_name""")
                .execute(Tuple.of(candidates, exact))
                .map(rows -> {
                    List<Deliverable> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Deliverable(r.getString("domain_id"), r.getString("domain_name"), r.getString("id"),
                            r.getString("serial"), r.getOffsetDateTime("not_after"), List.of(r.getArrayOfStrings("names")))));
                    return out;
                });
    }

    /** A certificate's chain (leaf first) and its private key as stored, encrypted. */
    public record KeyMaterial(String chainPem, String encryptedKey) {
    }

    /** The chain and the still encrypted key of each certificate in {@code certificateIds}, by id. */
    public Uni<Map<String, KeyMaterial>> keyMaterial(List<String> certificateIds) {
        return pool.preparedQuery("SELECT id, chain_pem, private_key_pem FROM certificates WHERE id = ANY($1)")
                .execute(Tuple.of((Object) certificateIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, KeyMaterial> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("id"), new KeyMaterial(r.getString("chain_pem"), r.getString("private_key_pem"))));
                    return out;
                });
    }
}
