package io.dnshandling.certificate;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The ARI re-check of {@code certificates} (the table is {@link CertificateStore}'s; these are its
 * queries for one purpose): which ARI-planned certificates are due to ask the CA again for their
 * renewal window, and moving a renewal into a window the CA moved.
 */
@ApplicationScoped
public class RenewalWindows {

    private final Pool pool;

    RenewalWindows(Pool pool) {
        this.pool = pool;
    }

    /** A certificate whose renewal follows the CA's window, and when it is planned now. */
    public record Planned(String certificateId, String chainPem, OffsetDateTime renewAt, String directory) {
    }

    /**
     * Takes up to {@code limit} current ARI-planned certificates of active domains last asked more
     * than {@code every} ago, and marks them asked now, in one statement (replicas share the work).
     * Each candidate's domain is looked up by key and the rows are taken once, whatever the
     * statistics say, as in {@link CertificateStore#claimDueRenewals}.
     */
    public Uni<List<Planned>> claimDue(Duration every, int limit) {
        return pool.preparedQuery(CLAIM_DUE)
                .execute(Tuple.of((double) every.toSeconds(), limit))
                .map(rows -> {
                    List<Planned> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Planned(r.getString("id"), r.getString("chain_pem"), r.getOffsetDateTime("renew_at"),
                                r.getString("acme_directory")));
                    }
                    return out;
                });
    }

    static final String CLAIM_DUE = """
            WITH due AS MATERIALIZED (
                SELECT c2.id FROM certificates c2
                 WHERE c2.renewal_source = 'ari' AND c2.revoked_at IS NULL AND c2.renew_at IS NOT NULL
                   AND c2.renew_at > now() AND (SELECT d.status FROM domains d WHERE d.id = c2.domain_id) = 'active'
                   AND (c2.ari_checked_at IS NULL OR c2.ari_checked_at < now() - make_interval(secs => $1))
                 ORDER BY c2.ari_checked_at NULLS FIRST LIMIT $2
                 FOR UPDATE OF c2 SKIP LOCKED)
            UPDATE certificates c SET ari_checked_at = now() FROM due
             WHERE c.id = due.id
            RETURNING c.id, c.chain_pem, c.renew_at, c.acme_directory""";

    /** Moves the planned renewal to {@code to} unless it changed meanwhile; true when moved. */
    public Uni<Boolean> move(Planned planned, Instant to) {
        return pool.preparedQuery("UPDATE certificates SET renew_at = $3 WHERE id = $1 AND renew_at = $2")
                .execute(Tuple.of(planned.certificateId(), planned.renewAt(), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }
}
