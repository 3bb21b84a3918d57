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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox ({@code webhook_events}, written by database triggers) to every URL in
 * {@code WEBHOOK_URLS} as a JSON POST. Each request carries {@code X-Event-Id},
 * {@code X-Event-Type}, {@code X-Timestamp} and {@code X-Signature: t=<timestamp>,v1=<hex>}, the
 * HMAC-SHA256 under {@code WEBHOOK_SECRET} of {@code "<timestamp>.<body>"}, so a receiver can check
 * both origin and freshness. Delivery is at least once (receivers de-duplicate on the event id),
 * in creation order, retried with backoff until each URL answers 2xx; events live in the
 * database, so nothing is lost across restarts, and replicas share the work with SKIP LOCKED.
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
            checkUrl(url);
        }
        this.secret = secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (!this.urls.isEmpty() && this.secret == null) {
            throw new IllegalStateException("WEBHOOK_URLS is set without WEBHOOK_SECRET: events must be signed");
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Event(String id, String type, String payload, List<String> deliveredTo, int attempts) {
    }

    @Scheduled(every = "${webhook.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatch() {
        if (draining.draining()) {
            return Uni.createFrom().voidItem();
        }
        if (urls.isEmpty()) {
            // Nobody to tell: close what accumulated, so the table stays small.
            return pool.query("UPDATE webhook_events SET done = true WHERE NOT done").execute().replaceWithVoid();
        }
        Context context = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
        return claim().chain(events -> {
            events.forEach(e -> sending.add(e.id()));
            // However the pass ends, none of its events is in flight any more.
            return deliverInOrder(events, 0, context).onTermination().invoke(() -> events.forEach(e -> sending.remove(e.id())));
        });
    }

    /** Events claimed but not yet delivered when the replica stops are due again at once, for another replica. */
    void stop(@Observes ShutdownEvent event) {
        if (!draining.awaitQuiet(sending::isEmpty)) {
            pool.preparedQuery("UPDATE webhook_events SET next_attempt_at = now() WHERE id = ANY($1) AND NOT done")
                    .execute(Tuple.of((Object) sending.toArray(String[]::new))).await().atMost(Duration.ofSeconds(5));
        }
    }

    private Uni<List<Event>> claim() {
        return pool.preparedQuery("""
                        UPDATE webhook_events e SET next_attempt_at = now() + make_interval(secs => $1), attempts = e.attempts + 1
                          FROM (SELECT id FROM webhook_events WHERE NOT done AND next_attempt_at <= now()
                                 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
                         WHERE e.id = due.id
                        RETURNING e.id, e.type, e.payload, e.delivered_to, e.attempts, e.created_at""")
                .execute(Tuple.of((double) LEASE.toSeconds(), BATCH))
                .map(rows -> {
                    List<Row> sorted = new ArrayList<>();
                    rows.forEach(sorted::add);
                    sorted.sort((a, b) -> a.getOffsetDateTime("created_at").compareTo(b.getOffsetDateTime("created_at")));
                    List<Event> out = new ArrayList<>();
                    for (Row r : sorted) {
                        out.add(new Event(r.getString("id"), r.getString("type"), r.getString("payload"),
                                List.of(r.getArrayOfStrings("delivered_to")), r.getInteger("attempts")));
                    }
                    return out;
                });
    }

    private Uni<Void> deliverInOrder(List<Event> events, int index, Context context) {
        if (index >= events.size()) {
            return Uni.createFrom().voidItem();
        }
        return deliver(events.get(index), context).chain(() -> deliverInOrder(events, index + 1, context));
    }

    private Uni<Void> deliver(Event event, Context context) {
        List<String> pending = urls.stream().filter(u -> !event.deliveredTo().contains(u)).toList();
        List<String> delivered = new ArrayList<>(event.deliveredTo());
        List<String> errors = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String url : pending) {
            chain = chain.chain(() -> post(url, event, context).invoke(error -> {
                if (error == null) {
                    delivered.add(url);
                } else {
                    errors.add(redacted(url) + ": " + error);
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
                    .replaceWithVoid();
        });
    }

    /** Posts one event to one URL; null when it was accepted (2xx), else what went wrong. */
    private Uni<String> post(String url, Event event, Context context) {
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "dns-handling-webhooks")
                .header("X-Event-Id", event.id())
                .header("X-Event-Type", event.type())
                .header("X-Timestamp", timestamp)
                .header("X-Signature", "t=" + timestamp + ",v1=" + signature(secret, timestamp, event.id(), event.type(), event.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(event.payload()))
                .build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(r -> r.statusCode() / 100 == 2 ? (String) null : "HTTP " + r.statusCode())
                .onFailure().recoverWithItem(e -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                .invoke(error -> Counter.builder("webhook.deliveries").description("Webhook POSTs, by outcome")
                        .tag("result", error == null ? "delivered" : "failed").register(metrics).increment())
                .invoke(error -> {
                    if (error != null) {
                        LOG.debugf("webhook %s to %s failed: %s", event.id(), redacted(url), error);
                    }
                })
                .emitOn(CallerContext.of(context));
    }

    /**
     * Hex HMAC-SHA256 under {@code secret} of {@code "<timestamp>.<event id>.<event type>.<body>"}:
     * what a receiver recomputes. The id and type are signed too, so a captured request cannot be
     * replayed under a fresh id (to pass de-duplication) or as another type.
     */
    public static String signature(byte[] secret, String timestamp, String eventId, String eventType, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + eventId + "." + eventType + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }


    /** An https URL, or http to this machine only: events carry customers' names and must not cross a network in clear. */
    static void checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("WEBHOOK_URLS: an entry is not a URL: " + redacted(url));
        }
        boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127.")
                || uri.getHost().equals("[::1]") || uri.getHost().equals("::1"));
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalStateException("WEBHOOK_URLS: " + redacted(url) + " must be https (http only to this machine)");
        }
    }

    /** A URL as errors and logs show it: scheme, host and port only (no credentials, path or query). */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "<invalid URL>";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "<invalid URL>";
        }
    }
}
