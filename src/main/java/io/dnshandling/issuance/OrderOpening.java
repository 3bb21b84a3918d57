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
        return attempt(cas, 0, names, budgetName, renewal, replacesChain, new ArrayList<>(), null, true);
    }

    private Uni<Opening> attempt(List<CertificateAuthority> cas, int i, List<String> names, String budgetName, boolean renewal,
            String replacesChain, List<String> passed, Opening firstWait, boolean onlyCaa) {
        if (i == cas.size()) {
            if (firstWait != null) {
                return Uni.createFrom().item(firstWait);
            }
            return Uni.createFrom().failure(onlyCaa ? new CaaRefusal(String.join("; ", passed)) : CaException.ofEach("the order", passed));
        }
        CertificateAuthority ca = cas.get(i);
        return caa.checkAll(names, ca).replaceWith(true)
                .onFailure(CaaRefusal.class).recoverWithUni(e -> {
                    passed.add(e.getMessage());
                    return Uni.createFrom().item(false);
                })
                .chain(allowed -> !allowed
                        ? next(cas, i, names, budgetName, renewal, replacesChain, passed, firstWait, onlyCaa, null)
                        : budget.reserve(ca.directory(), budgetName, renewal).chain(wait -> wait.isPresent()
                                ? next(cas, i, names, budgetName, renewal, replacesChain, add(passed, ca, wait.get().reason()), firstWait, false,
                                        new Opening(ca, null, wait.get()))
                                : ca.open(names, replacesChain).map(opened -> new Opening(ca, opened, null))
                                        .onFailure(e -> passOver(cas, AcmeFailure.of(e))).recoverWithUni(e -> {
                                            AcmeFailure f = AcmeFailure.of(e);
                                            LOG.infof("the CA %s did not take the order for %s: %s", ca.name(), names.get(0), f.reason());
                                            Uni<Opening> waiting = f.rateLimited()
                                                    ? budget.rateLimited(ca.directory(), f).map(until -> new Opening(ca, null,
                                                            new OrderBudget.Wait(until, "the CA " + ca.name() + " " + f.detail())))
                                                    : Uni.createFrom().nullItem();
                                            return waiting.chain(w -> next(cas, i, names, budgetName, renewal, replacesChain,
                                                    add(passed, ca, f.reason()), firstWait, false, w));
                                        })));
    }

    private Uni<Opening> next(List<CertificateAuthority> cas, int i, List<String> names, String budgetName, boolean renewal,
            String replacesChain, List<String> passed, Opening firstWait, boolean onlyCaa, Opening waitHere) {
        return attempt(cas, i + 1, names, budgetName, renewal, replacesChain, passed, firstWait != null ? firstWait : waitHere, onlyCaa);
    }

    /** With one CA only a rate limit is waited out; a failure is the caller's answer, in the CA's words. */
    private static boolean passOver(List<CertificateAuthority> cas, AcmeFailure f) {
        return f.rateLimited() || cas.size() > 1 && f.anotherCaMayTake();
    }

    private static List<String> add(List<String> passed, CertificateAuthority ca, String reason) {
        passed.add(ca.name() + ": " + reason);
        return passed;
    }
}
