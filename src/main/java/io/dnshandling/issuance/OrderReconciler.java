package io.dnshandling.issuance;

import io.dnshandling.config.AcmeConfig;
import io.dnshandling.dns.Node;
import io.dnshandling.dns.Zone;
import io.dnshandling.dns.ZoneUpdated;
import io.dnshandling.issuance.OrderStore.ChallengeRow;
import io.dnshandling.issuance.OrderStore.Claimed;
import io.dnshandling.verification.DnsLookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.StringReader;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Drives open orders to a certificate. Each pass claims what is due and performs exactly one
 * idempotent step per order, chosen by the one {@code switch} in {@link #step}; the outcome and
 * the next due time go back to the database. Nothing that matters lives in memory: a restart, or
 * another replica, simply picks up where the table says.
 *
 * <p>A pass runs when something becomes due (a timer set to the next due time), when the zone
 * changed (our own DNS server now answers a challenge), when an order is opened, and on a
 * periodic tick that also catches work due on other replicas.
 */
@ApplicationScoped
public class OrderReconciler {

    private static final Logger LOG = Logger.getLogger(OrderReconciler.class);
    /** Steps running at once in this replica; each holds at most one worker thread while it calls the CA. */
    static final int MAX_IN_FLIGHT = 64;
    private static final Duration FIRST_DNS_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_DNS_RETRY = Duration.ofSeconds(5);
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    /** While our own zone has not yet applied the order's value: a notification is milliseconds away. */
    private static final Duration OWN_ZONE_RETRY = Duration.ofMillis(20);

    private final OrderStore store;
    private final AcmeAccounts accounts;
    private final WorkerThreads workers;
    private final DnsLookup dns;
    private final Zone zone;
    private final AcmeConfig config;
    private final CertificateKeys keys;
    private final double renewalRatio;
    private final io.dnshandling.secrets.KeyVault vault;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    private volatile Context context;
    private volatile boolean stopped;
    // Only touched on `context`.
    private boolean running;
    private boolean again;
    private int inFlight;
    private long timer = -1;

    OrderReconciler(OrderStore store, AcmeAccounts accounts, WorkerThreads workers, DnsLookup dns, Zone zone, AcmeConfig config,
            Vertx vertx, MeterRegistry metrics, @org.eclipse.microprofile.config.inject.ConfigProperty(name = "renewal.ratio") double renewalRatio,
            io.dnshandling.secrets.KeyVault vault) {
        this.vault = vault;
        if (renewalRatio <= 0 || renewalRatio >= 1) {
            throw new IllegalStateException("RENEWAL_RATIO must be between 0 and 1 (exclusive), not " + renewalRatio);
        }
        this.renewalRatio = renewalRatio;
        this.zone = zone;
        this.store = store;
        this.accounts = accounts;
        this.workers = workers;
        this.dns = dns;
        this.config = config;
        this.keys = CertificateKeys.parse(config.keyType());
        this.vertx = vertx;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        kick();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    @Scheduled(every = "${acme.reconcile-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        kick();
    }

    void zoneUpdated(@Observes ZoneUpdated event) {
        kick();
    }

    /** Runs a pass soon; cheap to call often. */
    public void kick() {
        Context c = context;
        if (c != null && !stopped) {
            c.runOnContext(v -> pass());
        }
    }

    /**
     * Claims what is due, up to the free step slots, and starts those steps without waiting for
     * them: each finished step frees a slot and runs another pass, so one slow CA call never holds
     * up the orders behind it.
     */
    private void pass() {
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
            for (Claimed o : claimed) {
                inFlight++;
                safeStep(o).subscribe().with(done -> stepFinished(), e -> stepFinished());
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

    private void stepFinished() {
        context.runOnContext(v -> {
            inFlight--;
            pass();
        });
    }

    private void scheduleNext() {
        store.untilNextDue().subscribe().with(due -> {
            if (due != null && due.compareTo(config.reconcileInterval()) < 0 && !stopped) {
                timer = vertx.setTimer(Math.max(5, due.toMillis()), t -> {
                    timer = -1;
                    pass();
                });
            }
        }, e -> LOG.debugf("next due time unknown: %s", e.getMessage()));
    }

    private Uni<Void> safeStep(Claimed o) {
        return step(o).onFailure().recoverWithUni(e -> {
            AcmeFailure f = AcmeFailure.of(e);
            if (f.permanent()) {
                return fail(o, f.reason());
            }
            return store.retry(o, delay(o, f), f.reason()).replaceWithVoid();
        }).onFailure().recoverWithUni(e -> {
            LOG.errorf(e, "order %s: could not record the outcome of a step", o.id());
            return Uni.createFrom().voidItem();
        });
    }

    /** One step for the order's current state. */
    Uni<Void> step(Claimed o) {
        LOG.debugf("order %s (%s): step %s, attempt %d", o.id(), o.domainName(), o.state().wire(), o.attempts());
        if (OffsetDateTime.now(ZoneOffset.UTC).isAfter(o.deadline())) {
            return fail(o, "the order did not complete in time" + (o.lastError() == null ? "" : "; last error: " + o.lastError()));
        }
        return switch (o.state()) {
            case AWAITING_DNS -> awaitDns(o);
            case VALIDATING -> validate(o);
            case FINALIZING -> finalizeOrder(o);
            case DOWNLOADING -> download(o);
            case VALID, FAILED, CANCELLED -> Uni.createFrom().voidItem();
        };
    }

    /** Triggers the challenges once every TXT value is visible through the resolvers, as the CA will look it up. */
    private Uni<Void> awaitDns(Claimed o) {
        return store.challenges(o.id()).chain(all -> {
            List<ChallengeRow> pending = all.stream().filter(c -> c.state().equals("pending")).toList();
            if (pending.isEmpty()) {
                return store.advance(o, OrderState.VALIDATING, Duration.ZERO).replaceWithVoid();
            }
            if (!servedByOwnZone(o, pending)) {
                // Asking a recursive resolver before our own server answers would only teach it
                // (and the CA's resolver behind it) a negative answer to cache.
                return store.retry(o, OWN_ZONE_RETRY, "waiting for the DNS server to publish the challenge values").replaceWithVoid();
            }
            return Uni.join().all(pending.stream().map(this::visible).toList()).andFailFast().chain(visible -> {
                int missing = visible.indexOf(false);
                if (missing < 0) {
                    return accounts.login()
                            .chain(login -> workers.run(() -> {
                                for (ChallengeRow c : pending) {
                                    AcmeGateway.trigger(login, c.challengeUrl());
                                }
                                return true;
                            }))
                            .chain(() -> store.markChallengesTriggered(o))
                            .chain(() -> store.advance(o, OrderState.VALIDATING, FIRST_POLL)).replaceWithVoid();
                }
                ChallengeRow c = pending.get(missing);
                String what = "TXT " + c.recordName() + " with value \"" + c.txtValue() + "\"";
                if (OffsetDateTime.now(ZoneOffset.UTC).isAfter(o.txtDeadline())) {
                    return fail(o, what + " was not visible through the resolvers within " + config.txtTimeout().toSeconds() + " s");
                }
                return store.retry(o, backoff(o.attempts(), FIRST_DNS_RETRY, MAX_DNS_RETRY), "waiting for " + what).replaceWithVoid();
            });
        });
    }

    /** Whether our DNS server already serves every pending value under the domain's delegation target. */
    private boolean servedByOwnZone(Claimed o, List<ChallengeRow> pending) {
        if (!zone.loaded()) {
            return true; // DNS server disabled: nothing of ours to wait for
        }
        Name target = Zone.child("_acme-challenge", Zone.child(o.projectSubdomain(), zone.origin()));
        Node node = zone.node(target);
        if (node == null) {
            return false;
        }
        List<String> served = node.get(Type.TXT).stream().map(r -> String.join("", ((TXTRecord) r).getStrings())).toList();
        return pending.stream().allMatch(c -> served.contains(c.txtValue()));
    }

    private Uni<Boolean> visible(ChallengeRow c) {
        return dns.lookup(c.recordName(), Type.TXT)
                .map(answer -> answer.txtValues().contains(c.txtValue()))
                .onFailure().recoverWithItem(false);
    }

    private Uni<Void> validate(Claimed o) {
        return store.challenges(o.id()).chain(challenges -> accounts.login().chain(login -> workers.run(() -> {
            Instant retryAfter = null;
            boolean allValid = true;
            for (ChallengeRow c : challenges) {
                AcmeGateway.Polled p = AcmeGateway.authorization(login, c.authorizationUrl());
                if (p.status() == Status.INVALID) {
                    return Verdict.invalid("the CA could not validate " + c.recordName() + ": " + p.problem().orElse("invalid"));
                }
                if (p.status() != Status.VALID) {
                    allValid = false;
                    retryAfter = p.retryAfter().orElse(retryAfter);
                }
            }
            return allValid ? Verdict.done() : Verdict.later(retryAfter);
        }))).chain(v -> switch (v.kind()) {
            case DONE -> store.advance(o, OrderState.FINALIZING, Duration.ZERO).replaceWithVoid();
            case INVALID -> fail(o, v.reason());
            case LATER -> store.retry(o, pollDelay(o, v.retryAfter()), "waiting for the CA to validate").replaceWithVoid();
        });
    }

    /** Finalizes with a CSR for a fresh key, kept first so that a repeated step reuses it; never twice. */
    private Uni<Void> finalizeOrder(Claimed o) {
        Uni<KeyPair> key = o.keyPem() != null
                ? workers.run(() -> KeyPairUtils.readKeyPair(new StringReader(vault.decrypt(o.keyPem()))))
                : workers.run(() -> {
                    KeyPair k = keys.generate();
                    return new FreshKey(k, vault.encrypt(AcmeAccounts.pem(k)));
                }).chain(fresh -> store.saveKey(o, fresh.stored()).map(saved -> {
                    if (!saved) {
                        throw new IllegalStateException("claim lost");
                    }
                    return fresh.pair();
                }));
        return key.chain(k -> accounts.login().chain(login -> workers.run(() -> {
            AcmeGateway.Polled p = AcmeGateway.order(login, o.orderUrl());
            return switch (p.status()) {
                case READY -> {
                    AcmeGateway.finalizeOrder(login, o.orderUrl(), k);
                    LOG.infof("order %s: finalize sent for %s", o.id(), o.domainName());
                    yield Verdict.done();
                }
                // Finalized already (a step repeated after a crash): do not send a second CSR.
                case PROCESSING, VALID -> Verdict.done();
                case PENDING -> Verdict.later(null);
                default -> Verdict.invalid("the CA ended the order: " + p.problem().orElse(p.status().name().toLowerCase()));
            };
        }))).chain(v -> switch (v.kind()) {
            case DONE -> store.markFinalized(o).replaceWithVoid();
            case LATER -> store.advance(o, OrderState.VALIDATING, FIRST_POLL).replaceWithVoid();
            case INVALID -> fail(o, v.reason());
        });
    }

    private Uni<Void> download(Claimed o) {
        return accounts.login().chain(login -> workers.run(() -> {
            AcmeGateway.Polled p = AcmeGateway.order(login, o.orderUrl());
            if (p.status() == Status.VALID) {
                return AcmeGateway.download(login, o.orderUrl());
            }
            if (p.status() == Status.PROCESSING || p.status() == Status.READY) {
                return p.retryAfter().orElse(null);
            }
            return "the CA ended the order: " + p.problem().orElse(p.status().name().toLowerCase());
        })).chain(result -> {
            if (result instanceof AcmeGateway.Issued issued) {
                return complete(o, issued);
            }
            if (result instanceof String reason) {
                return fail(o, reason);
            }
            return store.retry(o, pollDelay(o, (Instant) result), "waiting for the CA to issue").replaceWithVoid();
        });
    }

    private Uni<Void> complete(Claimed o, AcmeGateway.Issued issued) {
        X509Certificate leaf = issued.leaf();
        // The CA's renewal window when it offers one (RFC 9773); the lifetime ratio otherwise.
        Instant renewAt = issued.renewalWindow()
                .map(w -> RenewalPlan.withinWindow(w[0], w[1], Instant.now(), ThreadLocalRandom.current()))
                .orElseGet(() -> RenewalPlan.renewAt(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), renewalRatio,
                        ThreadLocalRandom.current()));
        OrderStore.StoredCertificate cert = new OrderStore.StoredCertificate(issued.chainPem(), o.keyPem(),
                leaf.getSerialNumber().toString(16), leaf.getIssuerX500Principal().getName(),
                OffsetDateTime.ofInstant(leaf.getNotBefore().toInstant(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(leaf.getNotAfter().toInstant(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(renewAt, ZoneOffset.UTC), issued.renewalWindow().isPresent() ? "ari" : "ratio");
        return store.complete(o, cert).invoke(done -> {
            if (done) {
                outcome(o, "valid");
                LOG.infof("certificate %s for %s (order %s, serial %s, expires %s, renewal planned %s)",
                        o.renewal() ? "renewed" : "issued", o.domainName(), o.id(), cert.serial(), cert.notAfter(), cert.renewAt());
            }
        }).replaceWithVoid();
    }

    private Uni<Void> fail(Claimed o, String reason) {
        return store.fail(o, reason).invoke(done -> {
            if (done) {
                outcome(o, "failed");
                LOG.warnf("order %s for %s failed: %s", o.id(), o.domainName(), reason);
            }
        }).replaceWithVoid();
    }

    /** {@code certificates_issuance_total{purpose,result}} and, for successes, the time from order to certificate. */
    private void outcome(Claimed o, String result) {
        Counter.builder("certificates.issuance").description("Orders completed, by purpose (issue, reissue, renewal) and result")
                .tag("purpose", o.purpose()).tag("result", result).register(metrics).increment();
        if ("valid".equals(result) && o.createdAt() != null) {
            Timer.builder("certificates.issuance.duration").description("Time from opening an order to the stored certificate")
                    .tag("purpose", o.purpose()).publishPercentileHistogram()
                    .register(metrics).record(Duration.between(o.createdAt().toInstant(), Instant.now()));
        }
    }

    private Duration delay(Claimed o, AcmeFailure f) {
        if (f.retryAfter().isPresent()) {
            return clamp(Duration.between(Instant.now(), f.retryAfter().get()));
        }
        return backoff(o.attempts(), Duration.ofSeconds(1), config.maxBackoff());
    }

    /** Honours the CA's Retry-After; otherwise polls soon, then less often. */
    private Duration pollDelay(Claimed o, Instant retryAfter) {
        if (retryAfter != null) {
            return clamp(Duration.between(Instant.now(), retryAfter));
        }
        return backoff(o.attempts(), FIRST_POLL, Duration.ofSeconds(2));
    }

    private Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    /** Exponential from {@code first}, capped, with up to 20 % jitter so replicas do not move in step. */
    static Duration backoff(int attempts, Duration first, Duration cap) {
        int exponent = Math.max(0, Math.min(attempts - 1, 20));
        long ms = Math.min(cap.toMillis(), first.toMillis() * (1L << exponent));
        long jitter = ms / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(ms / 5);
        return Duration.ofMillis(ms - jitter);
    }

    /** A new certificate key, and the encrypted form it is kept in before the CSR goes out. */
    private record FreshKey(KeyPair pair, String stored) {
    }

    private record Verdict(Kind kind, String reason, Instant retryAfter) {
        enum Kind { DONE, LATER, INVALID }

        static Verdict done() {
            return new Verdict(Kind.DONE, null, null);
        }

        static Verdict later(Instant retryAfter) {
            return new Verdict(Kind.LATER, null, retryAfter);
        }

        static Verdict invalid(String reason) {
            return new Verdict(Kind.INVALID, reason, null);
        }
    }
}
