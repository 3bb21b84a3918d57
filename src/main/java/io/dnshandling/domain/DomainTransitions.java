package io.dnshandling.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Status changes made inside another unit of work's transaction (issuance, the reconciler): each
 * is checked against {@link DomainStatus#canMoveTo} and applied as a conditional update, so of
 * two writers racing for one domain exactly one moves it. Every move is counted here.
 */
@ApplicationScoped
public class DomainTransitions {

    private final DomainRepository domains;
    private final MeterRegistry metrics;

    DomainTransitions(DomainRepository domains, MeterRegistry metrics) {
        this.domains = domains;
        this.metrics = metrics;
    }

    /** Moves the domain from {@code from} to {@code to} if it is still in {@code from}; true when moved. */
    public Uni<Boolean> move(SqlConnection conn, String id, DomainStatus from, DomainStatus to, String failureReason) {
        if (!from.canMoveTo(to)) {
            return Uni.createFrom().failure(new IllegalStateException("a domain cannot move from " + from.wire() + " to " + to.wire()));
        }
        return domains.move(conn, id, from, to, to == DomainStatus.FAILED ? failureReason : null)
                .invoke(moved -> {
                    if (moved) {
                        counted(from, to);
                    }
                });
    }

    /** Holds an active domain in place for the rest of {@code conn}'s transaction; false when it is not active. */
    public Uni<Boolean> lockActive(SqlConnection conn, String id) {
        return domains.lockActive(conn, id);
    }

    /** Counts a move in {@code domain_transitions_total{from,to}}. */
    void counted(DomainStatus from, DomainStatus to) {
        Counter.builder("domain.transitions")
                .description("Domain status changes, by origin and target state")
                .tag("from", from.wire()).tag("to", to.wire())
                .register(metrics).increment();
    }
}
