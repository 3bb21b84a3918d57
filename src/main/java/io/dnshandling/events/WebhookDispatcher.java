package io.dnshandling.events;

import io.dnshandling.core.Backoff;
import io.dnshandling.core.Draining;
import io.dnshandling.core.CallerContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox ({@code webhook_events}, written by database triggers) to every URL in
 * {@code WEBHOOK_URLS} as a JSON POST. Each request carries {@code X-Event-Id},
 * {@code X-Event-Type}, {@code X-Timestamp} and {@code X-Signature: t=<timestamp>,v1=<hex>}
 * ({@link WebhookRequests#signature}), so a receiver can check origin and freshness. Delivery is at
 * least once (receivers de-duplicate on the event id), retried with backoff until each URL answers
 * 2xx, and in order within a domain: no event is sent before every earlier event of its domain has
 * been accepted by every URL; events live in the database, so nothing is lost across restarts,
 * and replicas share the work with SKIP LOCKED.
 * It never sits in the issuance path: triggers only insert rows.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 50;
    static final Duration LEASE = Duration.ofSeconds(30);
    /** Waits between attempts to deliver one event: 1 s, doubling, at most 10 minutes. */
    static final Backoff BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(10));

    private final Pool pool;
    private final Vertx vertx;
    private final List<String> urls;
    private final byte[] secret;
    /** Null when there is no URL to deliver to. */
    private final HttpClient http;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Draining draining;
    /** Events this replica has claimed and not yet recorded. */
    private final Set<String> sending = ConcurrentHashMap.newKeySet();

    WebhookDispatcher(Pool pool, Vertx vertx, MeterRegistry metrics, Clock clock, Draining draining,
            @ConfigProperty(name = "webhook.urls") Optional<List<String>> urls,
            @ConfigProperty(name = "webhook.secret") Optional<String> secret) {
        this.pool = pool;
        this.vertx = vertx;
        this.metrics = metrics;
        this.clock = clock;
        this.draining = draining;
        this.urls = urls.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String url : this.urls) {
            WebhookRequests.checkUrl(url);
        }
        this.secret = secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (!this.urls.isEmpty() && this.secret == null) {
            throw new IllegalStateException("WEBHOOK_URLS is set without WEBHOOK_SECRET: events must be signed");
        }
        // Only with someone to tell: a client sets up the JDK's default TLS context (its trusted
        // certificates read and parsed) and starts a selector thread when it is built.
        this.http = this.urls.isEmpty() ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Event(String id, String domainId, String type, String payload, List<String> deliveredTo, int attempts) {
    }

    @Scheduled(every = "${webhook.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> dispatch() {
        if (draining.draining()) {
            return Uni.createFrom().voidItem();
        }
        return draining.quietOnStop("webhook dispatch", urls.isEmpty()
                // Nobody to tell: close what accumulated, so the table stays small.
                ? pool.query("UPDATE webhook_events SET done = true WHERE NOT done").execute().replaceWithVoid()
                : send());
    }

    private Uni<Void> send() {
        Context context = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
        return claim().chain(events -> {
            events.forEach(e -> sending.add(e.id()));
            // However the pass ends, none of its events is in flight any more.
            return deliverInOrder(events, 0, context, new HashSet<>()).onTermination().invoke(() -> events.forEach(e -> sending.remove(e.id())));
        });
    }

    /** Events claimed but not yet delivered when the replica stops are due again at once, for another replica. */
    void stop(@Observes ShutdownEvent event) {
        if (!draining.awaitQuiet(sending::isEmpty)) {
            pool.preparedQuery("UPDATE webhook_events SET next_attempt_at = now() WHERE id = ANY($1) AND NOT done")
                    .execute(Tuple.of((Object) sending.toArray(String[]::new))).await().atMost(Duration.ofSeconds(5));
        }
    }

    /**
     * Claims up to {@link #BATCH} due events, oldest first, for a lease. An event is not due while
     * an earlier event of its domain waits for a retry or is leased elsewhere, so each domain's
     * events reach the receivers in the order they happened. Claims are taken one replica at a
     * time (a transaction-scoped advisory lock): a claim must see the leases committed before it,
     * or a later event could be claimed while another replica holds the earlier one.
     */
    private Uni<List<Event>> claim() {
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(hashtext('webhook-claim'))").execute()
                .chain(() -> conn.preparedQuery("""
                        WITH due AS MATERIALIZED (
                            SELECT w.id FROM webhook_events w
                             WHERE NOT w.done AND w.next_attempt_at <= now()
                               AND NOT EXISTS (SELECT 1 FROM webhook_events earlier
                                                WHERE earlier.domain_id = w.domain_id AND NOT earlier.done
                                                  AND earlier.next_attempt_at > now()
                                                  AND (earlier.created_at, earlier.id) < (w.created_at, w.id))
                             ORDER BY w.created_at, w.id LIMIT $2 FOR UPDATE OF w SKIP LOCKED)
                        UPDATE webhook_events e SET next_attempt_at = now() + make_interval(secs => $1), attempts = e.attempts + 1
                          FROM due WHERE e.id = due.id
                        RETURNING e.id, e.domain_id, e.type, e.payload, e.delivered_to, e.attempts, e.created_at""")
                        .execute(Tuple.of((double) LEASE.toSeconds(), BATCH))))
                .map(rows -> {
                    List<Row> sorted = new ArrayList<>();
                    rows.forEach(sorted::add);
                    sorted.sort(Comparator.<Row, OffsetDateTime>comparing(r -> r.getOffsetDateTime("created_at"))
                            .thenComparing(r -> r.getString("id")));
                    List<Event> out = new ArrayList<>();
                    for (Row r : sorted) {
                        out.add(new Event(r.getString("id"), r.getString("domain_id"), r.getString("type"), r.getString("payload"),
                                List.of(r.getArrayOfStrings("delivered_to")), r.getInteger("attempts")));
                    }
                    return out;
                });
    }

    /**
     * Delivers the claimed events one after another. Once an event of a domain is refused, the
     * domain's later events in the pass are handed back unsent (due, but held behind it by the claim).
     */
    private Uni<Void> deliverInOrder(List<Event> events, int index, Context context, Set<String> heldDomains) {
        if (index >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        Event event = events.get(index);
        Uni<Boolean> step = event.domainId() != null && heldDomains.contains(event.domainId())
                ? handBack(event).replaceWith(false)
                : deliver(event, context);
        return step.chain(done -> {
            if (!done && event.domainId() != null) {
                heldDomains.add(event.domainId());
            }
            return deliverInOrder(events, index + 1, context, heldDomains);
        });
    }

    /** Undoes the claim of an event that was not tried: due again, its attempt not counted. */
    private Uni<Void> handBack(Event event) {
        return pool.preparedQuery("UPDATE webhook_events SET next_attempt_at = now(), attempts = attempts - 1 WHERE id = $1")
                .execute(Tuple.of(event.id()))
                .invoke(() -> sending.remove(event.id()))
                .replaceWithVoid();
    }

    /** Posts one event to every URL that has not accepted it yet; true when all of them now have. */
    private Uni<Boolean> deliver(Event event, Context context) {
        List<String> pending = urls.stream().filter(u -> !event.deliveredTo().contains(u)).toList();
        List<String> delivered = new ArrayList<>(event.deliveredTo());
        List<String> errors = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String url : pending) {
            chain = chain.chain(() -> post(url, event, context).invoke(error -> {
                if (error == null) {
                    delivered.add(url);
                } else {
                    errors.add(WebhookRequests.redacted(url) + ": " + error);
                }
            })).replaceWithVoid();
        }
        return chain.chain(() -> {
            boolean done = delivered.containsAll(urls);
            Duration backoff = BACKOFF.delay(event.attempts());
            return pool.preparedQuery("""
                            UPDATE webhook_events SET delivered_to = $1, done = $2, last_error = $3,
                                   next_attempt_at = now() + make_interval(secs => $4)
                             WHERE id = $5""")
                    .execute(Tuple.of(delivered.toArray(String[]::new), done, errors.isEmpty() ? null : String.join("; ", errors),
                            backoff.toMillis() / 1000.0, event.id()))
                    .invoke(() -> sending.remove(event.id()))
                    .replaceWith(done);
        });
    }

    /** Posts one event to one URL; null when it was accepted (2xx), else what went wrong. */
    private Uni<String> post(String url, Event event, Context context) {
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        HttpRequest request = WebhookRequests.signed(url, event.id(), event.type(), event.payload(), secret, timestamp);
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(r -> r.statusCode() / 100 == 2 ? (String) null : "HTTP " + r.statusCode())
                .onFailure().recoverWithItem(e -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                .invoke(error -> Counter.builder("webhook.deliveries").description("Webhook POSTs, by outcome")
                        .tag("result", error == null ? "delivered" : "failed").register(metrics).increment())
                .invoke(error -> {
                    if (error != null) {
                        LOG.debugf("webhook %s to %s failed: %s", event.id(), WebhookRequests.redacted(url), error);
                    }
                })
                .emitOn(CallerContext.of(context));
    }
}
