package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.CertificateAuthority.Polled;
import io.dnshandling.acme.CertificateKeys;
import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.certificate.RenewalPlan;
import io.dnshandling.core.Backoff;
import io.dnshandling.issuance.StepOutcome.Advance;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Finalized;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.Stored;
import io.dnshandling.issuance.StepOutcome.Triggered;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.RandomIds;
import io.dnshandling.secrets.KeyVault;
import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.shredzone.acme4j.Status;

/**
 * The order's state machine: one {@code switch} over the claimed state, each case one idempotent
 * step that returns what it decided ({@link StepOutcome}) and writes nothing but the certificate
 * key it must keep before the CSR goes out. A CA failure becomes a retry or, when the CA's answer
 * is final, a failure, in one place ({@link AcmeFailure#of}).
 */
public class OrderSteps {

    private static final Logger LOG = Logger.getLogger(OrderSteps.class);
    static final Backoff DNS_RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);
    static final Backoff POLL = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(2), 0.2);
    /** While our own zone has not yet applied the order's value: a notification is milliseconds away. */
    static final Duration OWN_ZONE_RETRY = Duration.ofMillis(5);

    /** What the steps are configured with. */
    public record Settings(double renewalRatio, Duration txtTimeout, Duration maxBackoff) {
    }

    private final OrderRecords records;
    /** The CA of an order's directory. */
    private final Function<String, CertificateAuthority> cas;
    private final ChallengeVisibility dns;
    private final WorkerThreads workers;
    private final KeyVault vault;
    private final Clock clock;
    private final Settings settings;
    private final Backoff failureRetry;

    public OrderSteps(OrderRecords records, Function<String, CertificateAuthority> cas, ChallengeVisibility dns, WorkerThreads workers, KeyVault vault,
            Clock clock, Settings settings) {
        this.records = records;
        this.cas = cas;
        this.dns = dns;
        this.workers = workers;
        this.vault = vault;
        this.clock = clock;
        this.settings = settings;
        this.failureRetry = new Backoff(Duration.ofSeconds(1), settings.maxBackoff(), 0.2);
    }

    /** The outcome of one step for the order's current state; never a failed {@code Uni} for a CA failure. */
    public Uni<StepOutcome> step(ClaimedOrder o) {
        LOG.debugf("order %s (%s): step %s, attempt %d", o.id(), o.domainName(), o.state().wire(), o.attempts());
        if (now().isAfter(o.deadline())) {
            return done(new Fail("the order did not complete in time" + (o.lastError() == null ? "" : "; last error: " + o.lastError())));
        }
        CertificateAuthority ca = cas.apply(o.directory());
        Uni<StepOutcome> step = switch (o.state()) {
            case AWAITING_DNS -> awaitDns(o, ca);
            case VALIDATING -> validate(o, ca);
            case FINALIZING -> finalizeOrder(o, ca);
            case DOWNLOADING -> download(o, ca);
            case QUEUED, VALID, FAILED, CANCELLED -> done(new Retry(Duration.ZERO, "not a step of this order"));
        };
        return step.onFailure().recoverWithItem(e -> {
            AcmeFailure f = AcmeFailure.of(e);
            return f.permanent() ? new Fail(f.reason()) : new Retry(afterFailure(o, f), f.reason());
        });
    }

    /** Triggers the challenges once every TXT value is visible through the resolvers, as the CA will look it up. */
    private Uni<StepOutcome> awaitDns(ClaimedOrder o, CertificateAuthority ca) {
        return records.challenges(o.id()).chain(all -> {
            List<Challenge> pending = all.stream().filter(Challenge::pending).toList();
            if (pending.isEmpty()) {
                return done(new Advance(OrderState.VALIDATING, Duration.ZERO));
            }
            if (!dns.servedByOwnZone(o, pending)) {
                // Asking a recursive resolver before our own server answers would only teach it
                // (and the CA's resolver behind it) a negative answer to cache.
                return done(new Retry(OWN_ZONE_RETRY, "waiting for the DNS server to publish the challenge values"));
            }
            return Uni.join().all(pending.stream().map(dns::visible).toList()).andFailFast().chain(visible -> {
                int missing = visible.indexOf(false);
                if (missing < 0) {
                    return ca.trigger(pending.stream().map(Challenge::challengeUrl).toList())
                            .replaceWith((StepOutcome) new Triggered(POLL.first()));
                }
                Challenge c = pending.get(missing);
                String what = "TXT " + c.recordName() + " with value \"" + c.txtValue() + "\"";
                if (now().isAfter(o.txtDeadline())) {
                    return done(new Fail(what + " was not visible through the resolvers within " + settings.txtTimeout().toSeconds() + " s"));
                }
                return done(new Retry(DNS_RETRY.delay(o.attempts()), "waiting for " + what));
            });
        });
    }

    /**
     * Polls the order, not each authorization: the CA makes it {@code ready} once every
     * authorization is valid (RFC 8555 7.1.6), one request whatever the number of names. A ready
     * order is finalized in the same step, from the order just read, so no second read precedes
     * the CSR. An order found already past ready (a CSR sent before a restart) goes to the
     * finalizing step, which never sends a second one.
     */
    private Uni<StepOutcome> validate(ClaimedOrder o, CertificateAuthority ca) {
        return ca.order(o.orderUrl()).chain(p -> switch (p.status()) {
            case READY -> sendCsr(o, ca);
            case PROCESSING, VALID -> done(new Advance(OrderState.FINALIZING, Duration.ZERO));
            case PENDING -> done(new Retry(pollDelay(o, p.retryAfter().orElse(null)), "waiting for the CA to validate"));
            case INVALID -> whyInvalid(o, ca, p);
            default -> done(ended(p));
        });
    }

    /** An invalid order's reason: the first authorization the CA could not validate, else the order's own problem. */
    private Uni<StepOutcome> whyInvalid(ClaimedOrder o, CertificateAuthority ca, Polled order) {
        return records.challenges(o.id()).chain(challenges -> ca.authorizations(challenges.stream().map(Challenge::authorizationUrl).toList())
                .map(polled -> {
                    for (int i = 0; i < polled.size(); i++) {
                        if (polled.get(i).status() == Status.INVALID) {
                            return (StepOutcome) new Fail("the CA could not validate " + challenges.get(i).recordName() + ": "
                                    + polled.get(i).problem().orElse("invalid"));
                        }
                    }
                    return ended(order);
                }));
    }

    /** Finalizes with a CSR for a fresh key, kept first so that a repeated step reuses it; never twice. */
    private Uni<StepOutcome> finalizeOrder(ClaimedOrder o, CertificateAuthority ca) {
        return ca.order(o.orderUrl()).chain(p -> switch (p.status()) {
            case READY -> sendCsr(o, ca);
            // Finalized already (a step repeated after a crash): do not send a second CSR.
            case PROCESSING, VALID -> done(new Finalized());
            case PENDING -> done(new Advance(OrderState.VALIDATING, POLL.first()));
            default -> done(ended(p));
        });
    }

    /** The failure of an order the CA ended: its problem, else its status. */
    private static Fail ended(Polled order) {
        return new Fail("the CA ended the order: " + order.problem().orElse(order.status().name().toLowerCase()));
    }

    /** The CSR for the order's key, sent to an order just read ready. */
    private Uni<StepOutcome> sendCsr(ClaimedOrder o, CertificateAuthority ca) {
        return key(o, ca.keys()).chain(k -> ca.finalizeOrder(o.orderUrl(), k))
                .invoke(() -> LOG.infof("order %s: finalize sent for %s", o.id(), o.domainName()))
                .replaceWith((StepOutcome) new Finalized());
    }

    /** The order's certificate key: the one kept by an earlier attempt, or a fresh one kept now. */
    private Uni<KeyPair> key(ClaimedOrder o, CertificateKeys keys) {
        if (o.keyPem() != null) {
            return workers.run(() -> CertificateKeys.fromPem(vault.decrypt(o.keyPem(), keyAt(o.id()))));
        }
        return workers.run(() -> {
            KeyPair k = keys.generate();
            return new FreshKey(k, vault.encrypt(CertificateKeys.toPem(k), keyAt(o.id())));
        }).chain(fresh -> records.saveKey(o, fresh.stored()).map(saved -> {
            if (!saved) {
                throw new IllegalStateException("claim lost");
            }
            return fresh.pair();
        }));
    }

    private Uni<StepOutcome> download(ClaimedOrder o, CertificateAuthority ca) {
        return ca.order(o.orderUrl()).chain(p -> {
            if (p.status() == Status.VALID) {
                // The key moves to the certificate's row, sealed anew for it; the order's copy is cleared when stored.
                String certificateId = RandomIds.id();
                return ca.download(o.orderUrl()).chain(issued -> workers.run(() -> vault.encrypt(vault.decrypt(o.keyPem(), keyAt(o.id())),
                                CertificateStore.keyAt(certificateId)))
                        .map(keyPem -> (StepOutcome) new Stored(RenewalPlan.plan(certificateId, issued, keyPem, settings.renewalRatio(),
                                clock.instant(), ThreadLocalRandom.current()))));
            }
            if (p.status() == Status.PROCESSING || p.status() == Status.READY) {
                return done(new Retry(pollDelay(o, p.retryAfter().orElse(null)), "waiting for the CA to issue"));
            }
            return done(ended(p));
        });
    }

    private Duration afterFailure(ClaimedOrder o, AcmeFailure f) {
        return f.retryAfter().map(this::until).orElseGet(() -> failureRetry.delay(o.attempts()));
    }

    /** Honours the CA's Retry-After; otherwise polls soon, then less often. */
    private Duration pollDelay(ClaimedOrder o, Instant retryAfter) {
        return retryAfter != null ? until(retryAfter) : POLL.delay(o.attempts());
    }

    /** The wait until {@code instant}, from none to the configured maximum. */
    private Duration until(Instant instant) {
        Duration d = Duration.between(clock.instant(), instant);
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    /** Where an order's certificate key is kept until the certificate is stored. */
    static KeyVault.Binding keyAt(String orderId) {
        return new KeyVault.Binding("acme_orders", "certificate_key_pem", orderId);
    }

    private static Uni<StepOutcome> done(StepOutcome outcome) {
        return Uni.createFrom().item(outcome);
    }

    /** A new certificate key, and the encrypted form it is kept in before the CSR goes out. */
    private record FreshKey(KeyPair pair, String stored) {
    }
}
