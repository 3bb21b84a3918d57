package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.acme.CaException;
import io.dnshandling.acme.Issuers;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.domain.NameRows;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.SentToCa;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The step of a queued order: once the ordering budget allows, it goes to the CA (as
 * {@link IssuanceService} would have sent it at once), else it waits until the budget has room.
 * The wait is the order's {@code last_error}, shown on its domain.
 */
@ApplicationScoped
public class QueuedOrders {

    private static final Logger LOG = Logger.getLogger(QueuedOrders.class);
    /** A queued order still waiting after this long fails (the budget or the CA is stuck). */
    static final Duration GIVE_UP = Duration.ofDays(8);

    private final OrderOpening opening;
    private final CertificateStore certificates;
    private final AcmeConfig config;
    private final Clock clock;
    private final NameRows names;
    private final Issuers issuers;

    QueuedOrders(OrderOpening opening, Issuers issuers, CertificateStore certificates, AcmeConfig config, Clock clock, NameRows names) {
        this.names = names;
        this.opening = opening;
        this.issuers = issuers;
        this.certificates = certificates;
        this.config = config;
        this.clock = clock;
    }

    Uni<StepOutcome> send(ClaimedOrder o) {
        if (Instant.now(clock).isAfter(o.createdAt().toInstant().plus(GIVE_UP))) {
            return Uni.createFrom().item(new Fail("the order waited for the ordering budget for " + GIVE_UP.toDays() + " days: "
                    + o.lastError()));
        }
        Uni<String> replaces = o.replacesCertificateId() == null ? Uni.createFrom().nullItem()
                : certificates.current(o.domainId()).map(c -> c == null || !c.id.equals(o.replacesCertificateId()) ? null : c.chainPem);
        // Sent as if it were opened now: to the first CA that takes it, the one it waited for first.
        return replaces.chain(chain -> names.wanted(o.domainId()).chain(wanted -> opening.open(issuers.preferring(o.directory()), wanted,
                        o.domainName(), "renewal".equals(o.purpose()), chain)))
                .map(sent -> {
                    if (sent.order() == null) {
                        Duration left = Duration.between(Instant.now(clock), sent.queued().until());
                        return (StepOutcome) new Retry(left.isNegative() ? Duration.ZERO : left, sent.queued().reason());
                    }
                    LOG.infof("queued %s order %s for %s sent to the CA %s (%s)", o.purpose(), o.id(), o.domainName(), sent.ca().name(),
                            sent.order().orderUrl());
                    return new SentToCa(sent.order(), sent.ca().directory(), config.txtTimeout(), config.orderTimeout());
                })
                // CAA that forbids every CA: the order would only fail at the CA.
                .onFailure(InvalidRequestException.class).recoverWithItem(e -> new Fail(e.getMessage()))
                .onFailure().recoverWithUni(e -> {
                    AcmeFailure f = AcmeFailure.of(e);
                    if (f.permanent()) {
                        return Uni.createFrom().item(new Fail(f.reason()));
                    }
                    Instant until = f.retryAfter().orElse(Instant.now(clock).plus(Duration.ofSeconds(30)));
                    return Uni.createFrom().item((StepOutcome) new Retry(Duration.between(Instant.now(clock), until),
                            e instanceof CaException ? e.getMessage() : f.reason()));
                });
    }
}
