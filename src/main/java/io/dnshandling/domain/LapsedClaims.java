package io.dnshandling.domain;

import io.dnshandling.core.Draining;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Deletes pending registrations that were never verified within {@code PENDING_TTL}. Until the
 * sweep reaches one, verifying it is refused already; deleting it withdraws its delegation records
 * and retires its label like any other deletion. Every replica may sweep: rows locked by another
 * replica's sweep are skipped.
 */
@ApplicationScoped
public class LapsedClaims {

    private static final Logger LOG = Logger.getLogger(LapsedClaims.class);
    static final int BATCH = 500;

    private final DomainRepository domains;
    private final Clock clock;
    private final Draining draining;

    LapsedClaims(DomainRepository domains, Clock clock, Draining draining) {
        this.domains = domains;
        this.clock = clock;
        this.draining = draining;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return draining.quietOnStop("lapsed claims sweep", sweep().replaceWithVoid());
    }

    /** Deletes every lapsed claim, a batch at a time; how many were deleted. */
    public Uni<Integer> sweep() {
        return sweepFrom(0);
    }

    private Uni<Integer> sweepFrom(int sofar) {
        return domains.deleteLapsedClaims(clock.instant(), BATCH).chain(n -> {
            if (n == BATCH) {
                return sweepFrom(sofar + n);
            }
            if (sofar + n > 0) {
                LOG.infof("deleted %d pending registration(s) never verified within PENDING_TTL", sofar + n);
            }
            return Uni.createFrom().item(sofar + n);
        });
    }
}
