package io.dnshandling.issuance;

import io.dnshandling.acme.CaException;
import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.acme.Issuers;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.certificate.CertificateStore.DueRenewal;
import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.ConflictException;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.core.RandomIds;
import io.dnshandling.core.ServiceException;
import io.dnshandling.core.TooManyRequestsException;
import io.dnshandling.domain.Domain;
import io.dnshandling.domain.DomainName;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.DomainTransitions;
import io.dnshandling.domain.NameRows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens certificate orders: opens the order at the CA (the account is made on first use), picks
 * the dns-01 challenges, and records order, challenges and the domain's new status in one
 * transaction, only after the CA said yes. A CA that refuses or cannot be reached leaves nothing
 * behind. The rest is {@link OrderRunner}'s.
 */
@ApplicationScoped
public class IssuanceService {

    private static final Logger LOG = Logger.getLogger(IssuanceService.class);

    private final DomainService domains;
    private final DomainTransitions transitions;
    private final CertificateStore certificates;
    private final Issuers issuers;
    private final OrderOpening opening;
    private final OrderStore orders;
    private final Pool pool;
    private final AcmeConfig config;
    private final OrderRunner runner;
    private final OrderQueries queries;
    private final ChallengeStore challenges;
    private final NameRows names;

    IssuanceService(DomainService domains, DomainTransitions transitions, CertificateStore certificates, Issuers issuers,
            OrderStore orders, Pool pool, AcmeConfig config, OrderRunner runner, OrderQueries queries, OrderOpening opening,
            ChallengeStore challenges, NameRows names) {
        this.issuers = issuers;
        this.opening = opening;
        this.names = names;
        this.domains = domains;
        this.transitions = transitions;
        this.certificates = certificates;
        this.orders = orders;
        this.pool = pool;
        this.config = config;
        this.runner = runner;
        this.queries = queries;
        this.challenges = challenges;
    }

    /** What the caller learns about a newly opened order; {@code queued} when it waits for the ordering budget. */
    public record Opened(String orderId, Domain domain, DomainStatus status, String challengeDomain, String txtValue,
            OrderBudget.Wait queued, List<CertificateAuthority.PendingChallenge> challenges) {
    }

    /** Issues a first certificate for a verified domain, or re-issues now for an active one. */
    public Uni<Opened> issue(String domainId) {
        return domains.find(domainId).chain(domain -> {
            if (domain.status != DomainStatus.VERIFIED && domain.status != DomainStatus.ACTIVE) {
                return Uni.createFrom().failure(new InvalidRequestException("domain is " + domain.status.wire()
                        + "; a certificate can be issued for verified domains, and re-issued for active ones"));
            }
            boolean reissue = domain.status == DomainStatus.ACTIVE;
            return queries.openOrderOf(domain.id)
                    .invoke(open -> {
                        if (open != null) {
                            throw new ConflictException("order " + open + " for this domain is still in progress");
                        }
                    })
                    .chain(() -> reissue ? cooldown(domain.id) : Uni.createFrom().voidItem())
                    .chain(() -> reissue ? certificates.current(domain.id) : Uni.createFrom().nullItem())
                    .chain(replaces -> open(domain.id, domain.name(), domain.status, reissue ? "reissue" : "issue",
                            replaces == null ? null : replaces.id, replaces == null ? null : replaces.chainPem,
                            replaces == null ? issuers.ordered() : issuers.preferring(replaces.acmeDirectory)))
                    .map(opened -> new Opened(opened.orderId(), domain,
                            reissue ? DomainStatus.ACTIVE : DomainStatus.CERTIFICATE_PENDING, domain.name().challengeName(),
                            opened.order() == null || opened.order().challenges().isEmpty() ? null : opened.order().challenges().get(0).txtValue(),
                            opened.queued(), opened.order() == null ? List.of() : opened.order().challenges()))
                    .onFailure(e -> !(e instanceof ServiceException)).transform(e -> CaException.of("the order", e));
        });
    }

    /**
     * Before a domain is deleted: deactivates at the CA the authorizations its open order still
     * holds (RFC 8555 7.5.2), so they do not linger as proof for a name the platform gave up. Best
     * effort: a CA that cannot be reached does not stop the deletion.
     */
    public Uni<Void> abandon(String domainId) {
        return challenges.openAuthorizations(domainId)
                .chain(byDirectory -> byDirectory.isEmpty() ? Uni.createFrom().item(0)
                        : Uni.join().all(byDirectory.entrySet().stream().map(e -> issuers.of(e.getKey()).deactivate(e.getValue())).toList())
                                .andFailFast().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("deactivated %d pending authorization(s) of domain %s at the CA", n, domainId);
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("domain %s: its pending authorizations could not be deactivated at the CA: %s", domainId, e.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }

    /**
     * Opens the renewal order of an active domain's certificate; the domain stays active. Fails
     * (and the caller records the failure) when the CA refuses or is down.
     */
    public Uni<String> renew(DueRenewal due) {
        return open(due.domainId(), new DomainName(due.domainName()), DomainStatus.ACTIVE, "renewal", due.certificateId(), due.chainPem(),
                issuers.preferring(due.directory())).map(Recorded::orderId);
    }

    /** An order recorded: opened at the CA ({@code order}), or queued for the budget ({@code queued}). */
    private record Recorded(String orderId, OpenedOrder order, OrderBudget.Wait queued) {
    }

    /** Re-issue of one domain at most once per {@code ACME_REISSUE_COOLDOWN}. */
    private Uni<Void> cooldown(String domainId) {
        return queries.lastOrderAt(domainId).invoke(last -> {
            if (last == null) {
                return;
            }
            Duration left = Duration.between(Instant.now(), last.plus(config.reissueCooldown()));
            if (!left.isNegative() && !left.isZero()) {
                throw new TooManyRequestsException("this domain's last order was opened at " + last + "; re-issue is allowed once per "
                        + config.reissueCooldown().toMinutes() + " min", left);
            }
        }).replaceWithVoid();
    }

    /**
     * Opens the order for the names the domain wants now (itself and its verified names), each
     * checked against CAA first.
     */
    private Uni<Recorded> open(String domainId, DomainName name, DomainStatus status, String purpose, String replacesId, String replacesChain,
            List<CertificateAuthority> cas) {
        boolean renewal = "renewal".equals(purpose);
        return names.wanted(domainId)
                .chain(wanted -> opening.open(cas, wanted, name.ascii(), renewal, replacesChain))
                .chain(o -> o.order() == null
                        ? queue(domainId, name, status, purpose, replacesId, o.ca(), o.queued())
                        : record(domainId, status, o.ca(), o.order(), purpose, replacesId)
                                .invoke(orderId -> LOG.infof("opened %s order %s for %s at %s (%s)", purpose, orderId, name, o.ca().name(),
                                        o.order().orderUrl()))
                                .map(orderId -> new Recorded(orderId, o.order(), null)))
                .invoke(recorded -> runner.kick());
    }

    /** Records the order as queued: sent to the CA by the reconciler once the budget allows. */
    private Uni<Recorded> queue(String domainId, DomainName name, DomainStatus status, String purpose, String replacesId,
            CertificateAuthority ca, OrderBudget.Wait wait) {
        String id = RandomIds.id();
        return pool.withTransaction(conn -> claimDomain(conn, domainId, status)
                        .chain(() -> orders.insertQueued(conn, id, domainId, ca.directory(), purpose, replacesId, wait)))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("an order for this domain is already in progress")
                        : e)
                .invoke(() -> LOG.infof("queued %s order %s for %s: %s", purpose, id, name, wait.reason()))
                .replaceWith(new Recorded(id, null, wait));
    }

    private Uni<String> record(String domainId, DomainStatus status, CertificateAuthority ca, OpenedOrder opened, String purpose,
            String replacesId) {
        NewOrder order = new NewOrder(RandomIds.id(), domainId, ca.directory(), opened, purpose, replacesId,
                config.txtTimeout(), config.orderTimeout());
        return pool.withTransaction(conn -> claimDomain(conn, domainId, status).chain(() -> orders.insert(conn, order)))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new ConflictException("an order for this domain is already in progress")
                        : e)
                .replaceWith(order.id());
    }

    /** verified -> certificate_pending; an active domain stays active (and locked) while it is re-issued. */
    private Uni<Void> claimDomain(SqlConnection conn, String domainId, DomainStatus status) {
        Uni<Boolean> claimed = status == DomainStatus.VERIFIED
                ? transitions.move(conn, domainId, DomainStatus.VERIFIED, DomainStatus.CERTIFICATE_PENDING, null)
                : transitions.lockActive(conn, domainId);
        return claimed.invoke(ok -> {
            if (!ok) {
                throw new ConflictException("the domain changed while the order was being opened; try again");
            }
        }).replaceWithVoid();
    }
}
