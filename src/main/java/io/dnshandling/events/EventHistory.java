package io.dnshandling.events;

import io.dnshandling.core.Draining;
import io.dnshandling.core.PageCursor;
import io.dnshandling.core.Paging;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Each domain's history, read from the outbox the webhooks are sent from ({@code webhook_events}):
 * newest first, a page at a time. Delivered events are kept for {@code EVENT_RETENTION}, then
 * forgotten; an event not yet delivered is kept until it is.
 */
@ApplicationScoped
public class EventHistory {

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    private static final Logger LOG = Logger.getLogger(EventHistory.class);

    /** One event as it was sent (or is to be sent): its JSON payload as stored. */
    public record Event(String id, String type, Instant at, boolean delivered, String payload) {
    }

    public record Page(List<Event> events, String nextCursor) {
    }

    private final Pool pool;
    private final Duration retention;
    private final Draining draining;

    EventHistory(Pool pool, @ConfigProperty(name = "event.retention") Duration retention, Draining draining) {
        this.pool = pool;
        this.retention = retention;
        this.draining = draining;
    }

    /** The events of {@code domainId}, newest first, {@code limit} at a time after {@code cursor}. */
    public Uni<Page> of(String domainId, String cursor, Integer limit) {
        return Uni.createFrom().item(() -> Paging.of(limit, cursor, DEFAULT_PAGE, MAX_PAGE)).chain(paging -> page(domainId, paging));
    }

    private Uni<Page> page(String domainId, Paging paging) {
        PageCursor after = paging.after();
        return pool.preparedQuery("""
                        SELECT id, type, created_at, done, payload FROM webhook_events
                         WHERE domain_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
                         ORDER BY created_at DESC, id DESC LIMIT $4""")
                .execute(Tuple.of(domainId, after == null ? null : OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC),
                        after == null ? null : after.id(), paging.size() + 1))
                .map(rows -> {
                    List<Event> found = new ArrayList<>();
                    for (Row r : rows) {
                        found.add(new Event(r.getString("id"), r.getString("type"), r.getOffsetDateTime("created_at").toInstant(),
                                r.getBoolean("done"), r.getString("payload")));
                    }
                    Paging.Slice<Event> page = paging.cut(found, e -> new PageCursor(e.at(), e.id()));
                    return new Page(page.items(), page.nextCursor());
                });
    }

    /** Forgets delivered events older than the retention; every replica may run it, the result is the same. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> prune() {
        return draining.quietOnStop("event pruning", pool.preparedQuery("DELETE FROM webhook_events WHERE done AND done_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.debugf("forgot %d delivered events older than %s", rows.rowCount(), retention);
                    }
                })
                .replaceWithVoid());
    }
}
