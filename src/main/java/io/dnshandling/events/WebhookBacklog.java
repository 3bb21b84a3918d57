package io.dnshandling.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook backlog as gauges, for an alert when it grows: {@code webhook_events_pending} (not
 * yet delivered to every receiver) and {@code webhook_events_oldest_pending_seconds}.
 */
@ApplicationScoped
public class WebhookBacklog {

    private final Pool pool;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    WebhookBacklog(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        metrics.gauge("webhook.events.pending", pending);
        metrics.gauge("webhook.events.oldest.pending.seconds", oldestPendingSeconds);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measure() {
        return pool.query("SELECT count(*) AS n, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint AS age FROM webhook_events WHERE NOT done")
                .execute()
                .invoke(rows -> {
                    Row r = rows.iterator().next();
                    pending.set(r.getLong("n"));
                    oldestPendingSeconds.set(r.getLong("age"));
                })
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
