package io.dnshandling.core;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready while PostgreSQL answered a probe recently. The probe runs in the background every 5 s, so
 * a readiness call costs no query: a kubelet, a load balancer and an operator polling at once add
 * nothing to the database's load, and a slow database cannot stall the probe endpoint.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Two missed probes in a row make the replica unready. */
    static final Duration FRESH = Duration.ofSeconds(12);

    private final Supplier<Uni<?>> query;
    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile String lastError = "not probed yet";

    @Inject
    DatabaseReadiness(Pool pool, Clock clock) {
        this(() -> pool.query("SELECT 1").execute(), clock);
    }

    DatabaseReadiness(Supplier<Uni<?>> query, Clock clock) {
        this.query = query;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent start) {
        probe().subscribe().with(ok -> { }, e -> { });
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> probe() {
        return query.get()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .invoke(rows -> {
                    if (lastSuccess == null || lastError != null) {
                        LOG.info("PostgreSQL is reachable");
                    }
                    lastSuccess = clock.instant();
                    lastError = null;
                })
                .onFailure().invoke(e -> {
                    if (lastError == null) {
                        LOG.warnf("PostgreSQL probe failed: %s", e.toString());
                    }
                    lastError = e.getClass().getSimpleName();
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Override
    public HealthCheckResponse call() {
        Instant seen = lastSuccess;
        boolean fresh = seen != null && Duration.between(seen, clock.instant()).compareTo(FRESH) <= 0;
        var builder = HealthCheckResponse.named("PostgreSQL").status(fresh);
        if (!fresh && lastError != null) {
            builder.withData("error", lastError);
        }
        return builder.build();
    }
}
