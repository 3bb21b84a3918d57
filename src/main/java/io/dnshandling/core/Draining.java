package io.dnshandling.core;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A replica being stopped (SIGTERM, rolling update, node drain). From the first sign of it (the
 * shutdown delay starting, or else the shutdown itself) the replica takes no new work: no order
 * step, renewal, webhook event or delivery pass is claimed. Work already claimed gets
 * {@code SHUTDOWN_TIMEOUT} to finish; whatever is still held then is released by its owner, so
 * another replica continues at once instead of waiting for a lease to run out. Readiness turns 503
 * at the same moment (Quarkus), and the DNS server answers until the very end.
 */
@ApplicationScoped
public class Draining {

    private static final Logger LOG = Logger.getLogger(Draining.class);

    private final Duration budget;
    private volatile boolean draining;
    private volatile Instant deadline;

    public Draining(@ConfigProperty(name = "shutdown.timeout") Duration budget) {
        this.budget = budget;
    }

    void delayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    void shuttingDown(@Observes @Priority(1) ShutdownEvent event) {
        begin();
    }

    private synchronized void begin() {
        if (!draining) {
            deadline = Instant.now().plus(budget);
            draining = true;
            LOG.infof("stopping: no new work is taken; work in flight has until %s to finish", deadline);
        }
    }

    /** True once the replica is stopping: claim nothing new. */
    public boolean draining() {
        return draining;
    }

    /**
     * A scheduled job's work as the scheduler is handed it: a failure once the replica is stopping
     * (the database pool closes under a job still in flight) is expected, and ends the job with a
     * debug line; any other failure still reaches the scheduler, which logs it as an error.
     */
    public Uni<Void> quietOnStop(String job, Uni<Void> work) {
        return work.onFailure(e -> draining).recoverWithUni(e -> {
            LOG.debugf("%s ended by the stop: %s", job, e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * On the shutdown thread (never an event loop): waits until {@code quiet} holds or the
     * budget runs out; true when it held.
     */
    public boolean awaitQuiet(BooleanSupplier quiet) {
        Instant until = deadline == null ? Instant.now().plus(budget) : deadline;
        while (!quiet.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                return false;
            }
            try {
                Thread.sleep(20); // the shutdown thread polls a counter; nothing else waits on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return quiet.getAsBoolean();
            }
        }
        return true;
    }
}
