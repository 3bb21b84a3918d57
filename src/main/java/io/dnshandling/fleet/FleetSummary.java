package io.dnshandling.fleet;

import static io.dnshandling.core.RowValues.instant;

import io.dnshandling.certificate.ExpiryCounts;
import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainRows;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.issuance.OrderState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance: how many domains are in each status, when certificates expire week by
 * week, and which domains need someone's attention. Each part reads through an index or a kept
 * count, never every certificate: the statuses from the status index, the timeline from the
 * hourly expiry counts, the attention list from the few rows that can need it (expiring within
 * a week, renewal failing, revoked, an open order that is stuck, a failed domain).
 */
@ApplicationScoped
public class FleetSummary {

    public static final int WEEKS = 13;
    public static final int MAX_ATTENTION = 100;

    /** The summary, and when it was read. */
    public record Summary(Instant at, long domains, Map<DomainStatus, Long> byStatus, List<ExpiryCounts.Week> expiryWeeks,
            List<Attention.Item> attention, long attentionTotal) {
    }

    private final Pool pool;
    private final ExpiryCounts expiry;
    private final Clock clock;

    FleetSummary(Pool pool, ExpiryCounts expiry, Clock clock) {
        this.pool = pool;
        this.expiry = expiry;
        this.clock = clock;
    }

    public Uni<Summary> read() {
        return Uni.combine().all().unis(statuses(), expiry.byWeek(WEEKS), attention()).asTuple().map(t -> {
            long total = t.getItem1().values().stream().mapToLong(Long::longValue).sum();
            List<Attention.Item> all = t.getItem3();
            return new Summary(clock.instant(), total, t.getItem1(), t.getItem2(), all.stream().limit(MAX_ATTENTION).toList(), all.size());
        });
    }

    private Uni<Map<DomainStatus, Long>> statuses() {
        return pool.query("SELECT status, count(*) AS n FROM domains GROUP BY status").execute().map(rows -> {
            Map<DomainStatus, Long> out = new LinkedHashMap<>();
            for (DomainStatus s : DomainStatus.values()) {
                out.put(s, 0L);
            }
            rows.forEach(r -> out.put(DomainStatus.fromWire(r.getString("status")), r.getLong("n")));
            return out;
        });
    }

    /**
     * The candidates, judged. One statement that may read tens of thousands of rows: it runs with
     * PostgreSQL's JIT compiler off, which cost more to compile it (about 0.24 s at a million
     * domains) than it saved. {@code SET LOCAL} in its own transaction, not a session setting, so
     * that a transaction-pooling proxy in front of PostgreSQL passes it through.
     */
    private Uni<List<Attention.Item>> attention() {
        return pool.withTransaction(conn -> conn.query("SET LOCAL jit = off").execute().chain(() -> conn.preparedQuery("""
                        WITH candidates AS (
                          SELECT domain_id FROM certificate_expiry_counted WHERE hour < now() + interval '7 days'
                          UNION SELECT domain_id FROM certificates WHERE renewal_error IS NOT NULL AND revoked_at IS NULL
                          UNION SELECT domain_id FROM certificates WHERE revoked_at IS NOT NULL
                          UNION SELECT domain_id FROM acme_orders
                                 WHERE state IN (%1$s) AND (last_error IS NOT NULL OR created_at < now() - make_interval(secs => $1))
                          UNION SELECT id FROM domains WHERE status = 'failed')
                        SELECT d.id, d.domain_name, d.status, d.failure_reason, d.updated_at, %2$s,
                               cur.not_after, cur.revoked_at, cur.renewal_error, cur.renewal_failing_since,
                               o.state AS order_state, o.purpose AS order_purpose, o.last_error AS order_error, o.created_at AS order_created_at
                          FROM candidates k JOIN domains d ON d.id = k.domain_id
                          %3$s
                          LEFT JOIN acme_orders o ON o.domain_id = d.id AND o.state IN (%1$s)""".formatted(OrderState.sqlList(OrderState.OPEN),
                        DomainRows.CERTIFICATE_STATE, DomainRows.CURRENT_CERTIFICATE))
                .execute(Tuple.of((double) Attention.STUCK_AFTER.toSeconds()))))
                .map(rows -> {
                    Instant now = clock.instant();
                    List<Attention.Item> out = new ArrayList<>();
                    for (Row r : rows) {
                        Attention.of(new Attention.Facts(r.getString("id"), r.getString("domain_name"), DomainStatus.fromWire(r.getString("status")),
                                CertificateState.fromWire(r.getString("certificate_state")), r.getString("failure_reason"), instant(r, "updated_at"),
                                instant(r, "not_after"), instant(r, "revoked_at"), r.getString("renewal_error"), instant(r, "renewal_failing_since"),
                                r.getString("order_state"), r.getString("order_purpose"), r.getString("order_error"), instant(r, "order_created_at")),
                                now).ifPresent(out::add);
                    }
                    out.sort(Attention.ORDER);
                    return out;
                });
    }
}
