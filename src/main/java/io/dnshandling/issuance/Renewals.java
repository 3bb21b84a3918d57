package io.dnshandling.issuance;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps certificates valid with no human action: every tick, claims the certificates whose
 * planned renewal time has come (the newest, unrevoked certificate of an active domain with no
 * order open) and opens a renewal order for each; the reconciler does the rest, the domain stays
 * active, and the new certificate replaces the old one once stored. The claim pushes the renewal
 * time out by a backoff first, so a replica that dies mid-way, or a CA that is down, only delays
 * the next attempt; a failure is recorded on the certificate and shown on the domain.
 */
@ApplicationScoped
public class Renewals {

    private static final Logger LOG = Logger.getLogger(Renewals.class);
    static final int BATCH = 50;

    private final Pool pool;
    private final IssuanceService issuance;
    private final OrderStore orders;
    private final AtomicLong failing = new AtomicLong();

    Renewals(Pool pool, IssuanceService issuance, OrderStore orders, MeterRegistry metrics) {
        this.pool = pool;
        this.issuance = issuance;
        this.orders = orders;
        metrics.gauge("certificates.renewal.failing", failing);
    }

    record Due(String certificateId, String domainId, String domainName, int attempts) {
    }

    @Scheduled(every = "${renewal.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return claimDue().chain(due -> due.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(due.stream().map(this::renew).toList()).andCollectFailures().replaceWithVoid())
                .chain(this::countFailing)
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("renewal pass failed: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Takes due certificates and, in the same statement, moves their renewal time out by the retry backoff. */
    Uni<List<Due>> claimDue() {
        return pool.preparedQuery("""
                        UPDATE certificates c
                           SET renew_at = now() + make_interval(secs => GREATEST(1, LEAST(21600,
                                   30 * power(2, LEAST(c.renewal_attempts, 20)),
                                   EXTRACT(EPOCH FROM (c.not_after - now())) / 10)))
                          FROM (SELECT c2.id FROM certificates c2 JOIN domains d ON d.id = c2.domain_id
                                 WHERE c2.renew_at <= now() AND c2.revoked_at IS NULL AND d.status = 'active'
                                   AND NOT EXISTS (SELECT 1 FROM acme_orders o WHERE o.domain_id = c2.domain_id
                                                    AND o.state IN """ + OrderStore.OPEN + """
                                                   )
                                 ORDER BY c2.renew_at LIMIT $1
                                 FOR UPDATE OF c2 SKIP LOCKED) due, domains d
                         WHERE c.id = due.id AND d.id = c.domain_id
                        RETURNING c.id, c.domain_id, d.domain_name, c.renewal_attempts""")
                .execute(Tuple.of(BATCH))
                .map(rows -> {
                    List<Due> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Due(r.getString("id"), r.getString("domain_id"), r.getString("domain_name"), r.getInteger("renewal_attempts")));
                    }
                    return out;
                });
    }

    private Uni<Void> renew(Due due) {
        LOG.infof("renewing the certificate of %s (attempt %d)", due.domainName(), due.attempts() + 1);
        return issuance.renew(due.domainId(), due.certificateId()).replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    String reason = "renewal could not start: " + AcmeFailure.of(e).reason();
                    LOG.warnf("%s: %s", due.domainName(), reason);
                    return pool.withTransaction(conn -> orders.renewalFailed(conn, due.certificateId(), reason));
                });
    }

    private Uni<Void> countFailing() {
        return pool.query("""
                        SELECT count(*) AS n FROM certificates c JOIN domains d ON d.id = c.domain_id
                         WHERE d.status = 'active' AND c.revoked_at IS NULL AND c.renewal_error IS NOT NULL
                           AND c.renew_at IS NOT NULL""")
                .execute().invoke(rows -> failing.set(rows.iterator().next().getLong("n"))).replaceWithVoid();
    }
}
