package io.dnshandling.issuance;

import com.google.common.net.InternetDomainName;
import io.dnshandling.acme.AcmeFailure;
import io.dnshandling.config.AcmeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Client-side ordering budgets per ACME account, so that no burst of sign-ups, re-issues or a
 * runaway caller spends the shared account's limits at the CA and leaves every customer's
 * renewals failing. A new order is sent to the CA only after {@link #reserve} wrote it to the
 * ledger, under a per-CA advisory lock: across replicas, the CA never sees more than the budget.
 * Windows are Let's Encrypt's: new orders per 3 hours, per registered domain and per exact name per
 * 7 days. A {@code rateLimited} answer from the CA pauses the account until its Retry-After.
 */
@ApplicationScoped
public class OrderBudget {

    private static final Logger LOG = Logger.getLogger(OrderBudget.class);
    static final Duration ACCOUNT_WINDOW = Duration.ofHours(3);
    static final Duration DOMAIN_WINDOW = Duration.ofDays(7);
    /** How long a rateLimited answer without a Retry-After pauses the account. */
    static final Duration DEFAULT_PAUSE = Duration.ofHours(1);

    /** Why an order may not be sent yet, and when it may be at the earliest. */
    public record Wait(Instant until, String reason) {
    }

    private final Pool pool;
    private final AcmeConfig.Budget budget;

    OrderBudget(Pool pool, AcmeConfig config) {
        this.pool = pool;
        this.budget = config.budget();
        if (budget.renewalShare() < 0 || budget.renewalShare() >= 1) {
            throw new IllegalStateException("ACME_BUDGET_RENEWAL_SHARE must be at least 0 and below 1, not " + budget.renewalShare());
        }
    }

    /**
     * Takes one new order from the budgets of {@code directory} for {@code name}: empty when it was
     * taken (send the order now), else the wait. Nothing is taken when the answer is a wait. One
     * statement (V29): the per-CA lock is held inside the database, not across round trips.
     */
    public Uni<Optional<Wait>> reserve(String directory, String name, boolean renewal) {
        String registered = registeredDomain(name);
        int accountLimit = accountLimit(renewal);
        return pool.preparedQuery("SELECT budget, until, reason FROM acme_budget_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(List.of(directory, name, registered, renewal, accountLimit, (double) ACCOUNT_WINDOW.toSeconds(),
                        budget.perRegisteredDomain(), budget.duplicates(), (double) DOMAIN_WINDOW.toSeconds())))
                .map(rows -> {
                    var answer = rows.iterator();
                    if (!answer.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = answer.next();
                    Instant until = r.getOffsetDateTime("until").toInstant();
                    String reason = switch (r.getString("budget")) {
                        case "paused" -> "the CA rate-limited this account until " + until + ": " + r.getString("reason");
                        case "account" -> waitingFor("the budget of " + accountLimit + " new orders per account in 3 hours"
                                + (renewal ? "" : " (the rest is kept for renewals)"), until);
                        case "registered" -> waitingFor("the budget of " + budget.perRegisteredDomain() + " certificates for " + registered
                                + " in 7 days", until);
                        default -> waitingFor("the budget of " + budget.duplicates() + " certificates for " + name + " in 7 days", until);
                    };
                    return Optional.of(new Wait(until, reason));
                });
    }

    private static String waitingFor(String what, Instant until) {
        return "waiting for " + what + " (next room at " + until + ")";
    }

    /** New orders per account in the window for a first issue or a renewal; 0 when the budget is off. */
    private int accountLimit(boolean renewal) {
        if (budget.newOrders() == 0) {
            return 0;
        }
        return renewal ? budget.newOrders() : Math.max(1, (int) Math.floor(budget.newOrders() * (1 - budget.renewalShare())));
    }

    /**
     * The CA answered {@code rateLimited}: pauses every new order to {@code directory} until its
     * Retry-After ({@link #DEFAULT_PAUSE} without one); the end of the pause.
     */
    public Uni<Instant> rateLimited(String directory, AcmeFailure failure) {
        Instant until = failure.retryAfter().orElse(Instant.now().plus(DEFAULT_PAUSE));
        return pause(directory, until, failure.detail()).replaceWith(until);
    }

    /** Pauses every new order to {@code directory} until {@code until} (the CA said rateLimited). */
    public Uni<Void> pause(String directory, Instant until, String reason) {
        LOG.warnf("the CA at %s rate-limited this account: new orders wait until %s (%s)", directory, until, reason);
        return pool.preparedQuery("""
                        INSERT INTO acme_budget_pauses (directory_url, paused_until, reason) VALUES ($1, $2, $3)
                        ON CONFLICT (directory_url) DO UPDATE SET paused_until = GREATEST(acme_budget_pauses.paused_until, EXCLUDED.paused_until),
                                                                  reason = EXCLUDED.reason""")
                .execute(Tuple.of(directory, until.atOffset(ZoneOffset.UTC), reason)).replaceWithVoid();
    }

    /** The registered domain (public-suffix list eTLD+1) of {@code name}; its last two labels off the list. */
    static String registeredDomain(String name) {
        try {
            InternetDomainName parsed = InternetDomainName.from(name);
            if (parsed.isUnderPublicSuffix()) {
                return parsed.topPrivateDomain().toString();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name the list knows: fall through
        }
        String[] labels = name.split("\\.");
        return labels.length <= 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
