package io.dnshandling.issuance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators watch, read from the database so every replica reports the same: current
 * certificates by time left ({@code certificates_expiring{within}}), the soonest expiry as a
 * timestamp, and open orders by state. Bounded labels only.
 */
@ApplicationScoped
public class IssuanceMetrics {

    static final String[] BUCKETS = {"expired", "1d", "7d", "30d", "90d", "later"};
    static final String[] OPEN_STATES = {"awaiting_dns", "validating", "finalizing", "downloading"};

    private final Pool pool;
    private final Map<String, AtomicLong> expiring = new LinkedHashMap<>();
    private final Map<String, AtomicLong> open = new LinkedHashMap<>();
    private final AtomicLong soonest = new AtomicLong();

    IssuanceMetrics(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        for (String bucket : BUCKETS) {
            AtomicLong value = new AtomicLong();
            expiring.put(bucket, value);
            Gauge.builder("certificates.expiring", value, AtomicLong::get)
                    .description("Current certificates by time left until notAfter (1d: within a day, later: beyond 90 days)")
                    .tag("within", bucket).register(metrics);
        }
        for (String state : OPEN_STATES) {
            AtomicLong value = new AtomicLong();
            open.put(state, value);
            Gauge.builder("acme.orders.open", value, AtomicLong::get).description("Open orders by state").tag("state", state).register(metrics);
        }
        Gauge.builder("certificates.soonest.expiry", soonest, AtomicLong::get).baseUnit("seconds")
                .description("notAfter of the certificate that expires first, as Unix time (0: none)").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        refresh().subscribe().with(v -> { }, e -> { });
    }

    @Scheduled(every = "15s", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("""
                        WITH current AS (
                          SELECT DISTINCT ON (c.domain_id) c.not_after, c.revoked_at
                            FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active'
                           ORDER BY c.domain_id, c.issued_at DESC)
                        SELECT count(*) FILTER (WHERE not_after <= now()) AS expired,
                               count(*) FILTER (WHERE not_after > now() AND not_after <= now() + interval '1 day') AS d1,
                               count(*) FILTER (WHERE not_after > now() + interval '1 day' AND not_after <= now() + interval '7 days') AS d7,
                               count(*) FILTER (WHERE not_after > now() + interval '7 days' AND not_after <= now() + interval '30 days') AS d30,
                               count(*) FILTER (WHERE not_after > now() + interval '30 days' AND not_after <= now() + interval '90 days') AS d90,
                               count(*) FILTER (WHERE not_after > now() + interval '90 days') AS later,
                               COALESCE(EXTRACT(EPOCH FROM min(not_after)), 0)::bigint AS soonest
                          FROM current WHERE revoked_at IS NULL""")
                .execute()
                .invoke(rows -> {
                    Row r = rows.iterator().next();
                    expiring.get("expired").set(r.getLong("expired"));
                    expiring.get("1d").set(r.getLong("d1"));
                    expiring.get("7d").set(r.getLong("d7"));
                    expiring.get("30d").set(r.getLong("d30"));
                    expiring.get("90d").set(r.getLong("d90"));
                    expiring.get("later").set(r.getLong("later"));
                    soonest.set(r.getLong("soonest"));
                })
                .chain(() -> pool.query("SELECT state, count(*) AS n FROM acme_orders WHERE state IN " + OrderStore.OPEN + " GROUP BY state").execute())
                .invoke(rows -> {
                    open.values().forEach(v -> v.set(0));
                    for (Row r : rows) {
                        AtomicLong v = open.get(r.getString("state"));
                        if (v != null) {
                            v.set(r.getLong("n"));
                        }
                    }
                })
                .replaceWithVoid();
    }
}
