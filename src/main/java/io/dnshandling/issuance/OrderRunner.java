package io.dnshandling.issuance;

import io.dnshandling.acme.Issuers;
import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.Draining;
import io.dnshandling.dns.ZoneUpdated;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.Stored;
import io.dnshandling.secrets.KeyVault;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives open orders to a certificate. Each pass claims what is due and runs a step per order
 * ({@link OrderSteps}); what the step decided goes back to the database ({@link OrderStore#record})
 * before anything else happens. A step that moved the order on is written with the claim kept
 * ({@link OrderStore#recordHeld}) and the next step follows at once, for up to {@link #MAX_HELD}.
 * Nothing that matters lives in memory: a restart, or another replica, simply picks up where the
 * table says.
 *
 * <p>A pass runs when something becomes due (a timer set to the next due time), when the zone
 * changed (our own DNS server now answers a challenge), when an order is opened, and on a
 * periodic tick that also catches work due on other replicas.
 */
@ApplicationScoped
public class OrderRunner {

    private static final Logger LOG = Logger.getLogger(OrderRunner.class);
    /** Steps running at once in this replica; each holds at most one worker thread while it calls the CA. */
    static final int MAX_IN_FLIGHT = 64;
    /** Retries and next steps due this soon are waited out with the claim held ({@link #run(ClaimedOrder, long)}). */
    static final Duration HOLD = Duration.ofMillis(100);
    /** The longest one claim is held that way: well inside the claim's lease ({@code ACME_CLAIM_LEASE}, at least twice this). */
    static final Duration MAX_HELD = Duration.ofSeconds(5);

    private final OrderStore store;
    private final OrderQueries queries;
    private final OrderSteps steps;
    private final QueuedOrders queued;
    private final OrderMetrics metrics;
    private final AcmeConfig config;
    private final Vertx vertx;

    private final Draining draining;
    /** The orders this replica is stepping now, id to claim token: what a stop must release. */
    private final Map<String, String> stepping = new ConcurrentHashMap<>();

    private volatile Context context;
    // Only touched on `context`.
    private boolean running;
    private boolean again;
    private int inFlight;
    private long timer = -1;

    OrderRunner(OrderStore store, OrderQueries queries, QueuedOrders queued, Issuers issuers, ChallengeVisibility dns, WorkerThreads workers, KeyVault vault, Clock clock,
            AcmeConfig config, OrderMetrics metrics, Vertx vertx, Draining draining, @ConfigProperty(name = "renewal.ratio") double renewalRatio) {
        if (renewalRatio <= 0 || renewalRatio >= 1) {
            throw new IllegalStateException("RENEWAL_RATIO must be between 0 and 1 (exclusive), not " + renewalRatio);
        }
        this.store = store;
        this.queries = queries;
        this.queued = queued;
        this.steps = new OrderSteps(store, issuers::of, dns, workers, vault, clock, new OrderSteps.Settings(renewalRatio,
                config.txtTimeout(), config.maxBackoff()));
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.draining = draining;
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        kick();
    }

    /**
     * Takes no new step, gives the steps in flight until the shutdown budget to finish, and hands
     * back the claims of any still running, due at once: another replica continues them now
     * instead of after the lease. A step that finishes later finds its claim gone and writes nothing.
     */
    void stop(@Observes ShutdownEvent event) {
        if (!draining.awaitQuiet(stepping::isEmpty)) {
            Map<String, String> held = Map.copyOf(stepping);
            LOG.infof("stopping with %d order step(s) still running: their claims are released", held.size());
            store.release(held).await().atMost(Duration.ofSeconds(5));
        }
    }

    @Scheduled(every = "${acme.reconcile-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        kick();
    }

    void zoneUpdated(@Observes ZoneUpdated event) {
        kick();
    }

    /** Runs a pass soon; cheap to call often. */
    public void kick() {
        Context c = context;
        if (c != null && !draining.draining()) {
            c.runOnContext(v -> pass());
        }
    }

    /**
     * Claims what is due, up to the free step slots, and starts those steps without waiting for
     * them: each finished step frees a slot and runs another pass, so one slow CA call never holds
     * up the orders behind it.
     */
    private void pass() {
        if (draining.draining()) {
            return;
        }
        if (running) {
            again = true;
            return;
        }
        int free = MAX_IN_FLIGHT - inFlight;
        if (free <= 0) {
            return; // a finishing step will pass again
        }
        running = true;
        again = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        store.claimDue(free).subscribe().with(claimed -> {
            running = false;
            for (ClaimedOrder o : claimed) {
                inFlight++;
                stepping.put(o.id(), o.token());
                run(o).subscribe().with(done -> stepFinished(o), e -> stepFinished(o));
            }
            if (again || claimed.size() == free) {
                pass();
            } else if (inFlight == 0) {
                scheduleNext();
            }
        }, e -> {
            running = false;
            LOG.warnf("reconciler pass failed: %s", e.getMessage());
            scheduleNext();
        });
    }

    /** One step of {@code o}, its outcome written, and reported when it ended the order. */
    private Uni<Void> run(ClaimedOrder o) {
        return run(o, System.nanoTime());
    }

    /**
     * A short retry (the CA still validating, our zone a moment from publishing) is waited out
     * here with the claim held and the step run again, rather than written, scheduled and
     * claimed anew: the claim's lease covers the wait, and a replica that dies meanwhile leaves
     * the order to the next claim as before.
     */
    private Uni<Void> run(ClaimedOrder o, long claimedAt) {
        Uni<StepOutcome> step = o.state() == OrderState.QUEUED ? queued.send(o) : steps.step(o);
        return step.chain(outcome -> {
            boolean hold = !draining.draining() && System.nanoTime() - claimedAt < MAX_HELD.toNanos();
            if (outcome instanceof Retry r && r.after().compareTo(HOLD) <= 0 && hold) {
                LOG.debugf("order %s: again in %d ms, claim held: %s", o.id(), r.after().toMillis(), r.why());
                return after(r.after()).chain(() -> run(o.nextAttempt(), claimedAt));
            }
            // A step that moved the order on is written, and the next one follows under the same claim.
            Duration next = StepOutcome.movedOnAfter(outcome);
            if (next != null && next.compareTo(HOLD) <= 0 && hold) {
                return store.recordHeld(o, outcome).chain(moved -> moved == null ? Uni.createFrom().voidItem()
                        : after(next).chain(() -> run(moved, claimedAt)));
            }
            return record(o, outcome);
        }).onFailure().recoverWithUni(e -> {
            LOG.errorf(e, "order %s: could not record the outcome of a step", o.id());
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> after(Duration wait) {
        return wait.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().emitter(e -> vertx.setTimer(Math.max(1, wait.toMillis()), t -> e.complete(null)));
    }

    private Uni<Void> record(ClaimedOrder o, StepOutcome outcome) {
        return store.record(o, outcome).invoke(written -> {
            if (!written) {
                return;
            }
            if (outcome instanceof Stored s) {
                metrics.ended(o, "valid");
                LOG.infof("certificate %s for %s (order %s, serial %s, expires %s, renewal planned %s)", o.renewal() ? "renewed" : "issued",
                        o.domainName(), o.id(), s.certificate().serial(), s.certificate().notAfter(), s.certificate().renewAt());
            } else if (outcome instanceof Fail f) {
                metrics.ended(o, "failed");
                LOG.warnf("order %s for %s failed: %s", o.id(), o.domainName(), f.reason());
            }
        }).replaceWithVoid();
    }

    private void stepFinished(ClaimedOrder o) {
        stepping.remove(o.id(), o.token());
        context.runOnContext(v -> {
            inFlight--;
            pass();
        });
    }

    private void scheduleNext() {
        queries.untilNextDue().subscribe().with(due -> {
            if (due != null && due.compareTo(config.reconcileInterval()) < 0 && !draining.draining()) {
                timer = vertx.setTimer(Math.max(5, due.toMillis()), t -> {
                    timer = -1;
                    pass();
                });
            }
        }, e -> LOG.debugf("next due time unknown: %s", e.getMessage()));
    }
}
