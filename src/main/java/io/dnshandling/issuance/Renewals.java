package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.acme.Issuers;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.certificate.RenewalPlan;
import io.dnshandling.certificate.RenewalWindows;
import io.dnshandling.certificate.CertificateStore.DueRenewal;
import io.dnshandling.core.Draining;
import io.dnshandling.core.ServiceException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps certificates valid with no human action: every tick, claims the certificates whose
 * planned renewal time has come ({@link CertificateStore#claimDueRenewals}) and opens a renewal
 * order for each; the runner does the rest, the domain stays active, and the new certificate
 * replaces the old one once stored. The claim pushes the renewal time out by the retry backoff
 * first, so a replica that dies mid-way, or a CA that is down, only delays the next attempt; a
 * failure is recorded on the certificate and shown on the domain.
 */
@ApplicationScoped
public class Renewals {

    private static final Logger LOG = Logger.getLogger(Renewals.class);
    static final int BATCH = 50;
    private static final String[] OPEN = OrderState.wire(OrderState.OPEN);

    private final Pool pool;
    private final IssuanceService issuance;
    private final CertificateStore certificates;
    private final AtomicLong failing = new AtomicLong();

    private final Draining draining;
    private final RenewalWindows windows;
    private final Issuers issuers;
    private final Duration ariRecheck;

    Renewals(Pool pool, IssuanceService issuance, CertificateStore certificates, MeterRegistry metrics, Draining draining,
            RenewalWindows windows, Issuers issuers, @ConfigProperty(name = "renewal.ari-recheck-interval") Duration ariRecheck) {
        this.pool = pool;
        this.draining = draining;
        this.windows = windows;
        this.issuers = issuers;
        this.ariRecheck = ariRecheck;
        this.issuance = issuance;
        this.certificates = certificates;
        metrics.gauge("certificates.renewal.failing", failing);
    }

    @Scheduled(every = "${renewal.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        if (draining.draining()) {
            return Uni.createFrom().voidItem(); // a stopping replica claims no renewal
        }
        return certificates.claimDueRenewals(BATCH, OPEN)
                .chain(due -> due.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(due.stream().map(this::renew).toList()).andCollectFailures().replaceWithVoid())
                .chain(certificates::countFailingRenewals)
                .invoke(failing::set)
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("renewal pass failed: %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Asks the CA again, once per {@code RENEWAL_ARI_RECHECK_INTERVAL}, for the renewal window of
     * each certificate planned by it: a window the CA moved (earlier before a mass revocation, say)
     * moves the renewal into it. A CA that cannot be asked leaves the plan as it is.
     */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledRecheck() {
        return recheckWindows().replaceWithVoid();
    }

    /** One re-check pass; how many renewals it moved. */
    public Uni<Integer> recheckWindows() {
        if (draining.draining()) {
            return Uni.createFrom().item(0);
        }
        return windows.claimDue(ariRecheck, BATCH)
                .chain(due -> due.isEmpty() ? Uni.createFrom().item(List.<Boolean>of())
                        : Uni.join().all(due.stream().map(this::recheck).toList()).andCollectFailures())
                .map(moved -> (int) moved.stream().filter(m -> m).count())
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("renewal-window re-check failed: %s", e.getMessage());
                    return 0;
                });
    }

    private Uni<Boolean> recheck(RenewalWindows.Planned planned) {
        return issuers.of(planned.directory()).renewalWindow(planned.chainPem()).chain(window -> {
            if (window.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Instant at = planned.renewAt().toInstant();
            if (!at.isBefore(window.get().start()) && !at.isAfter(window.get().end())) {
                return Uni.createFrom().item(false);
            }
            Instant to = RenewalPlan.withinWindow(window.get().start(), window.get().end(), Instant.now(), ThreadLocalRandom.current());
            return windows.move(planned, to).invoke(moved -> {
                if (moved) {
                    LOG.infof("the CA moved the renewal window of certificate %s: renewal moved from %s to %s", planned.certificateId(), at, to);
                }
            });
        }).onFailure().recoverWithItem(e -> {
            LOG.debugf("renewal window of %s not re-checked: %s", planned.certificateId(), e.getMessage());
            return false;
        });
    }

    private Uni<Void> renew(DueRenewal due) {
        LOG.infof("renewing the certificate of %s (attempt %d)", due.domainName(), due.attempts() + 1);
        return issuance.renew(due).replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    String reason = "renewal could not start: " + (e instanceof ServiceException refused ? refused.getMessage() : AcmeFailure.of(e).reason());
                    LOG.warnf("%s: %s", due.domainName(), reason);
                    return pool.withTransaction(conn -> certificates.renewalFailed(conn, due.certificateId(), reason));
                });
    }
}
