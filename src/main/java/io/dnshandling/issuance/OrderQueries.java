package io.dnshandling.issuance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Read-only questions about {@code acme_orders}, for the API, the reconciler's timer and the
 * gauges; every write to the table goes through {@link OrderStore}.
 */
@ApplicationScoped
public class OrderQueries {

    private static final String[] OPEN = OrderState.wire(OrderState.OPEN);
    private static final String UNTIL_NEXT_DUE = "SELECT EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) AS s FROM acme_orders WHERE state IN ("
            + OrderState.sqlList(OrderState.OPEN) + ")";

    private final Pool pool;

    OrderQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * How long until the next open order is due, if any (capped by the caller). The states are
     * written into the statement, so it has no parameter and its one plan is kept: with them as a
     * parameter PostgreSQL planned it anew on 425 of 517 runs, 0.35 ms each against 0.015 ms to run
     * it, and the reconciler asks it after most passes that leave nothing in flight.
     */
    Uni<Duration> untilNextDue() {
        return pool.preparedQuery(UNTIL_NEXT_DUE)
                .execute()
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

    /** When the latest order of {@code domainId} was opened (or queued); null when it never had one. */
    Uni<Instant> lastOrderAt(String domainId) {
        return pool.preparedQuery("SELECT max(created_at) AS at FROM acme_orders WHERE domain_id = $1")
                .execute(Tuple.of(domainId))
                .map(rows -> {
                    var at = rows.iterator().next().getOffsetDateTime("at");
                    return at == null ? null : at.toInstant();
                });
    }

    /** The reason a domain's open order is queued, and until when at least; null when it has none queued. */
    public Uni<OrderBudget.Wait> queuedOf(String domainId) {
        return pool.preparedQuery("SELECT next_attempt_at, last_error FROM acme_orders WHERE domain_id = $1 AND state = 'queued'")
                .execute(Tuple.of(domainId))
                .map(rows -> rows.iterator().hasNext()
                        ? new OrderBudget.Wait(rows.iterator().next().getOffsetDateTime("next_attempt_at").toInstant(),
                                rows.iterator().next().getString("last_error"))
                        : null);
    }
}
