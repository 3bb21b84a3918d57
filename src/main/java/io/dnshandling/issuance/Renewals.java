package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.certificate.CertificateStore.DueRenewal;
import io.dnshandling.core.Draining;
import io.dnshandling.core.ServiceException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
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

    Renewals(Pool pool, IssuanceService issuance, CertificateStore certificates, MeterRegistry metrics, Draining draining) {
        this.pool = pool;
        this.draining = draining;
        this.issuance = issuance;
        this.certificates = certificates;
        metrics.gauge("certificates.renewal.failing", failing);
    }

    @Scheduled(every = "${renewal.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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
