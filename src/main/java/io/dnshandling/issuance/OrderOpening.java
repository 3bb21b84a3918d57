package io.dnshandling.issuance;

import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.acme.CaException;
import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens an order at the first CA that takes it, in the order given. A CA is passed over when CAA
 * forbids it, its ordering budget is spent, it is rate limiting, it cannot be reached or fails, or
 * it refuses the names themselves; any other refusal is the answer. When every CA was passed
 * over, the order waits for the first budget or rate limit to end, if there was one; otherwise it
 * fails with each CA's reason (CAA alone: the 400 naming the records).
 */
@ApplicationScoped
public class OrderOpening {

    private static final Logger LOG = Logger.getLogger(OrderOpening.class);

    private final CaaCheck caa;
    private final OrderBudget budget;

    OrderOpening(CaaCheck caa, OrderBudget budget) {
        this.caa = caa;
        this.budget = budget;
    }

    /** Where the order went: opened at {@code ca}, or to wait there ({@code queued}). */
    public record Opening(CertificateAuthority ca, OpenedOrder order, OrderBudget.Wait queued) {
    }

    /** Opens the order for {@code names} ({@code budgetName} counts against the budgets). */
    public Uni<Opening> open(List<CertificateAuthority> cas, List<String> names, String budgetName, boolean renewal, String replacesChain) {
        return new Attempt(cas, names, budgetName, renewal, replacesChain).from(0);
    }

    /** One opening: the CAs tried in turn, and why each one so far was passed over. */
    private final class Attempt {
        private final List<CertificateAuthority> cas;
        private final List<String> names;
        private final String budgetName;
        private final boolean renewal;
        private final String replacesChain;
        private final List<String> passed = new ArrayList<>();
        /** The first CA that asked the order to wait, with until when. */
        private Opening firstWait;
        private boolean onlyCaa = true;

        Attempt(List<CertificateAuthority> cas, List<String> names, String budgetName, boolean renewal, String replacesChain) {
            this.cas = cas;
            this.names = names;
            this.budgetName = budgetName;
            this.renewal = renewal;
            this.replacesChain = replacesChain;
        }

        Uni<Opening> from(int i) {
            if (i == cas.size()) {
                if (firstWait != null) {
                    return Uni.createFrom().item(firstWait);
                }
                return Uni.createFrom().failure(onlyCaa ? new CaaRefusal(String.join("; ", passed)) : CaException.ofEach("the order", passed));
            }
            return at(cas.get(i)).chain(opened -> opened != null ? Uni.createFrom().item(opened) : from(i + 1));
        }

        /** The order opened at {@code ca}; null when {@code ca} is passed over (the reason is kept). */
        private Uni<Opening> at(CertificateAuthority ca) {
            return caa.checkAll(names, ca).replaceWith(true)
                    .onFailure(CaaRefusal.class).recoverWithUni(e -> {
                        passed.add(e.getMessage());
                        return Uni.createFrom().item(false);
                    })
                    .chain(allowed -> allowed ? withinBudget(ca) : Uni.createFrom().<Opening>nullItem());
        }

        private Uni<Opening> withinBudget(CertificateAuthority ca) {
            return budget.reserve(ca.directory(), budgetName, renewal).chain(wait -> wait.isPresent()
                    ? passOver(ca, wait.get().reason(), wait.get())
                    : ca.open(names, replacesChain).map(opened -> new Opening(ca, opened, null))
                            .onFailure(e -> movesOn(cas, AcmeFailure.of(e))).recoverWithUni(e -> refused(ca, AcmeFailure.of(e))));
        }

        private Uni<Opening> refused(CertificateAuthority ca, AcmeFailure f) {
            LOG.infof("the CA %s did not take the order for %s: %s", ca.name(), names.get(0), f.reason());
            if (!f.rateLimited()) {
                return passOver(ca, f.reason(), null);
            }
            return budget.rateLimited(ca.directory(), f)
                    .chain(until -> passOver(ca, f.reason(), new OrderBudget.Wait(until, "the CA " + ca.name() + " " + f.detail())));
        }

        /** Records why {@code ca} did not take the order and, when it asked to wait, until when. */
        private Uni<Opening> passOver(CertificateAuthority ca, String reason, OrderBudget.Wait wait) {
            passed.add(ca.name() + ": " + reason);
            onlyCaa = false;
            if (wait != null && firstWait == null) {
                firstWait = new Opening(ca, null, wait);
            }
            return Uni.createFrom().nullItem();
        }
    }

    /** With one CA only a rate limit is waited out; a failure is the caller's answer, in the CA's words. */
    private static boolean movesOn(List<CertificateAuthority> cas, AcmeFailure f) {
        return f.rateLimited() || cas.size() > 1 && f.anotherCaMayTake();
    }
}
