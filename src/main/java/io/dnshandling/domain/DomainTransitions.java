package io.dnshandling.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Status changes made inside another unit of work's transaction (issuance, the reconciler): each
 * is checked against {@link DomainStatus#canMoveTo} and applied as a conditional update, so of
 * two writers racing for one domain exactly one moves it.
 */
@ApplicationScoped
public class DomainTransitions {

    private final MeterRegistry metrics;

    DomainTransitions(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Moves the domain from {@code from} to {@code to} if it is still in {@code from}; true when moved. */
    public Uni<Boolean> move(SqlConnection conn, String id, DomainStatus from, DomainStatus to, String failureReason) {
        if (!from.canMoveTo(to)) {
            return Uni.createFrom().failure(new IllegalStateException("a domain cannot move from " + from.wire() + " to " + to.wire()));
        }
        return conn.preparedQuery("UPDATE domains SET status = $1, failure_reason = $2, updated_at = date_trunc('second', now()) WHERE id = $3 AND status = $4")
                .execute(Tuple.of(to.wire(), to == DomainStatus.FAILED ? failureReason : null, id, from.wire()))
                .map(rows -> rows.rowCount() == 1)
                .invoke(moved -> {
                    if (moved) {
                        counted(from, to);
                    }
                });
    }

    /** Counts a move in {@code domain_transitions_total{from,to}}. */
    void counted(DomainStatus from, DomainStatus to) {
        Counter.builder("domain.transitions")
                .description("Domain status changes, by origin and target state")
                .tag("from", from.wire()).tag("to", to.wire())
                .register(metrics).increment();
    }
}
