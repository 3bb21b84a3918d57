package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.acme.CertificateAuthority;
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

    private final OrderBudget budget;
    private final CertificateAuthority ca;
    private final CertificateStore certificates;
    private final AcmeConfig config;
    private final Clock clock;
    private final NameRows names;
    private final CaaCheck caa;

    QueuedOrders(OrderBudget budget, CertificateAuthority ca, CertificateStore certificates, AcmeConfig config, Clock clock, NameRows names,
            CaaCheck caa) {
        this.names = names;
        this.caa = caa;
        this.budget = budget;
        this.ca = ca;
        this.certificates = certificates;
        this.config = config;
        this.clock = clock;
    }

    Uni<StepOutcome> send(ClaimedOrder o) {
        if (Instant.now(clock).isAfter(o.createdAt().toInstant().plus(GIVE_UP))) {
            return Uni.createFrom().item(new Fail("the order waited for the ordering budget for " + GIVE_UP.toDays() + " days: "
                    + o.lastError()));
        }
        return budget.reserve(ca.directory(), o.domainName(), "renewal".equals(o.purpose())).chain(wait -> {
            if (wait.isPresent()) {
                Duration left = Duration.between(Instant.now(clock), wait.get().until());
                return Uni.createFrom().item((StepOutcome) new Retry(left.isNegative() ? Duration.ZERO : left, wait.get().reason()));
            }
            Uni<String> replaces = o.replacesCertificateId() == null ? Uni.createFrom().nullItem()
                    : certificates.current(o.domainId()).map(c -> c == null || !c.id.equals(o.replacesCertificateId()) ? null : c.chainPem);
            return replaces.chain(chain -> names.wanted(o.domainId()).chain(wanted -> caa.checkAll(wanted).chain(() -> ca.open(wanted, chain))))
                    .invoke(opened -> LOG.infof("queued %s order %s for %s sent to the CA (%s)", o.purpose(), o.id(), o.domainName(), opened.orderUrl()))
                    .map(opened -> (StepOutcome) new SentToCa(opened, config.txtTimeout(), config.orderTimeout()))
                    // CAA that forbids the CA: the order would only fail at the CA.
                    .onFailure(InvalidRequestException.class).recoverWithItem(e -> new Fail(e.getMessage()))
                    .onFailure().recoverWithUni(e -> {
                        AcmeFailure f = AcmeFailure.of(e);
                        if (f.permanent()) {
                            return Uni.createFrom().item(new Fail(f.reason()));
                        }
                        Uni<Instant> until = f.rateLimited() ? budget.rateLimited(ca.directory(), f)
                                : Uni.createFrom().item(f.retryAfter().orElse(Instant.now(clock).plus(Duration.ofSeconds(30))));
                        return until.map(u -> (StepOutcome) new Retry(Duration.between(Instant.now(clock), u), f.reason()));
                    });
        });
    }
}
