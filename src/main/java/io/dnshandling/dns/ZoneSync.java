package io.dnshandling.dns;

import io.dnshandling.core.DatabaseNotifications;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * Keeps {@link Zone} equal to what PostgreSQL holds, in every instance: a full load at startup,
 * then {@code LISTEN dns_zone} (the tables' triggers name the owner that changed, on commit) to
 * reload just those names. Behind the notifications, a catch-up reads the names the triggers
 * also logged since the last one ({@link ZoneChanges}) and reloads those: periodically, and when
 * the listening connection is re-established, since notifications sent while it was down are
 * lost. Its cost follows the changes, not the size of the zone. A full reload happens only at
 * start, or when a replica has not caught up for longer than the log keeps.
 *
 * <p>All zone writes happen on one Vert.x context, one at a time: a change notified while a full
 * reload is running is applied again after it, so a reload that read the tables just before the
 * change cannot hide it.
 */
@ApplicationScoped
public class ZoneSync {

    static final String CHANNEL = "dns_zone";
    private static final Logger LOG = Logger.getLogger(ZoneSync.class);

    private final Zone zone;
    private final ZoneLoader loader;
    private final Vertx vertx;
    private final DatabaseNotifications notifications;
    private final ZoneChanges changes;
    private final Timer fullReloads;
    private final Timer partialReloads;
    private final Timer catchUps;
    private final Event<ZoneUpdated> updated;

    private Context context;
    private PgSubscriber subscriber;
    // Only touched on `context`.
    private final Set<String> pendingKeys = new LinkedHashSet<>();
    private boolean fullPending;
    private boolean busy;
    private final List<Runnable> loadWaiters = new ArrayList<>();
    // Where the next catch-up reads the change log from, and when the zone last caught up.
    private String position;
    private long caughtUpAt;
    private boolean catchingUp;
    private boolean loadingInFull;
    private volatile boolean stopped;

    ZoneSync(Zone zone, ZoneLoader loader, ZoneChanges changes, Vertx vertx, MeterRegistry metrics, Event<ZoneUpdated> updated,
            DatabaseNotifications notifications) {
        this.zone = zone;
        this.changes = changes;
        this.loader = loader;
        this.vertx = vertx;
        this.updated = updated;
        this.notifications = notifications;
        this.fullReloads = Timer.builder("dns.zone.reload").tag("kind", "full")
                .description("Time to load the zone from the database").register(metrics);
        this.partialReloads = Timer.builder("dns.zone.reload").tag("kind", "names")
                .description("Time to reload changed names from the database").register(metrics);
        this.catchUps = Timer.builder("dns.zone.reload").tag("kind", "catch-up")
                .description("Time to read the zone changes logged since the last catch-up").register(metrics);
        metrics.gauge("dns.zone.names", zone, Zone::size);
    }

    /** Loads the zone and starts listening; completes once the zone is loaded. */
    Uni<Void> start() {
        context = vertx.getOrCreateContext();
        subscriber = notifications.subscriber();
        subscriber.channel(CHANNEL)
                .handler(payload -> context.runOnContext(v -> onChange(payload)))
                .subscribeHandler(() -> context.runOnContext(v -> catchUp()));
        subscriber.closeHandler(() -> LOG.debug("zone change listener closed")); // a lost connection is retried, not closed
        return subscriber.connect()
                .onFailure().invoke(e -> LOG.warnf("zone change listener could not connect (%s); retrying", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(2)).atMost(20)
                .chain(() -> Uni.createFrom().<Void>emitter(done -> context.runOnContext(v -> {
                    requestFullReload();
                    awaitLoaded(() -> done.complete(null));
                })));
    }

    /** Reads the whole zone again; completes once it is loaded. */
    Uni<Void> reloadInFull() {
        return Uni.createFrom().emitter(done -> context.runOnContext(v -> {
            requestFullReload();
            awaitLoaded(() -> done.complete(null));
        }));
    }

    Uni<Void> stop() {
        stopped = true; // reads that fail from here on met the closing pool: nothing to report or retry
        return subscriber == null ? Uni.createFrom().voidItem() : subscriber.close();
    }

    @Scheduled(every = "${dns.server.catch-up-interval}", delayed = "${dns.server.catch-up-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodicCatchUp() {
        if (context != null) {
            context.runOnContext(v -> catchUp());
        }
        changes.prune().subscribe().with(v -> { }, e -> LOG.debugf("pruning zone changes failed: %s", e.getMessage()));
    }

    /** Reloads the names logged since the last catch-up; in full when there is no position, or it is too old. */
    private void catchUp() {
        if (position == null || System.nanoTime() - caughtUpAt > ZoneChanges.RETENTION.toNanos() / 2) {
            if (!loadingInFull) {
                requestFullReload(); // one running now sets the position itself
            }
            return;
        }
        if (catchingUp) {
            return;
        }
        catchingUp = true;
        Timer.Sample sample = Timer.start();
        changes.since(position).subscribe().with(since -> context.runOnContext(v -> {
            catchingUp = false;
            sample.stop(catchUps);
            // Names read now are reloaded by the drain below, or by a full reload if that fails.
            pendingKeys.addAll(since.keys());
            position = since.upto();
            caughtUpAt = System.nanoTime();
            drain();
        }), e -> context.runOnContext(v -> {
            catchingUp = false;
            LOG.warnf("reading zone changes failed: %s", e.getMessage());
        }));
    }

    private void onChange(String payload) {
        pendingKeys.add(payload);
        drain();
    }

    private void requestFullReload() {
        fullPending = true;
        drain();
    }

    private void drain() {
        if (busy) {
            return;
        }
        if (fullPending) {
            fullPending = false;
            busy = true;
            loadingInFull = true;
            // Keys pending now are covered by this reload; keys arriving during it stay pending.
            pendingKeys.clear();
            Timer.Sample sample = Timer.start();
            long startedAt = System.nanoTime();
            // The position first: the load then sees every change below it, and the next
            // catch-up reads from it, so nothing falls between the two. The serial read with it
            // is answered once the load is served.
            changes.position().chain(at -> loadAndBuild().map(built -> Map.entry(at, built)))
                    .emitOn(command -> context.runOnContext(v -> command.run()))
                    .subscribe().with(loaded -> {
                zone.install(loaded.getValue(), loaded.getKey().serial());
                position = loaded.getKey().upto();
                caughtUpAt = startedAt;
                loadingInFull = false;
                sample.stop(fullReloads);
                LOG.debugf("zone loaded: %d names, serial %d", zone.size(), zone.serial());
                finish();
            }, e -> {
                if (stopped) {
                    return;
                }
                LOG.errorf("zone reload failed: %s", e.getMessage());
                fullPending = true;
                busy = false;
                loadingInFull = false;
                vertx.setTimer(1000, t -> context.runOnContext(v -> drain()));
            });
            return;
        }
        if (pendingKeys.isEmpty()) {
            return;
        }
        Set<Name> names = new HashSet<>();
        for (String key : pendingKeys) {
            names.addAll(loader.namesOf(key));
        }
        pendingKeys.clear();
        busy = true;
        Timer.Sample sample = Timer.start();
        changes.serial().chain(serial -> loader.load(names).map(byName -> Map.entry(serial, byName))).subscribe().with(loaded -> {
            loaded.getValue().forEach(zone::replace);
            zone.raiseSerial(loaded.getKey());
            sample.stop(partialReloads);
            updated.fire(new ZoneUpdated(zone.serial()));
            finish();
        }, e -> {
            if (stopped) {
                return;
            }
            LOG.errorf("reloading %s failed: %s; falling back to a full reload", names, e.getMessage());
            fullPending = true;
            busy = false;
            vertx.setTimer(1000, t -> context.runOnContext(v -> drain()));
        });
    }

    /** The whole zone read and built, not yet served; built on a worker thread (seconds for a million names). */
    private Uni<ZoneNames> loadAndBuild() {
        return loader.loadAll().chain(all -> Uni.createFrom().completionStage(
                vertx.executeBlocking(() -> zone.prepare(all), false).toCompletionStage()));
    }

    private void finish() {
        busy = false;
        List<Runnable> waiting = List.copyOf(loadWaiters);
        if (zone.loaded()) {
            loadWaiters.clear();
            waiting.forEach(Runnable::run);
        }
        drain();
    }

    private void awaitLoaded(Runnable done) {
        if (zone.loaded() && !busy && !fullPending) {
            done.run();
        } else {
            loadWaiters.add(done);
        }
    }

    Name zoneOrigin() {
        return zone.origin();
    }
}
