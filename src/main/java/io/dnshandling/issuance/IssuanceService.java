package io.dnshandling.issuance;

import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.RandomIds;
import io.dnshandling.domain.Domain;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.DomainTransitions;
import io.dnshandling.http.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Opens certificate orders: makes sure the ACME account exists, opens the order at the CA, picks
 * the dns-01 challenge, and records order, challenge and the domain's new status in one
 * transaction, only after the CA said yes. A CA that refuses or cannot be reached leaves nothing
 * behind. The rest is {@link OrderReconciler}'s.
 */
@ApplicationScoped
public class IssuanceService {

    private static final Logger LOG = Logger.getLogger(IssuanceService.class);

    private final DomainService domains;
    private final DomainTransitions transitions;
    private final AcmeAccounts accounts;
    private final AcmeSessions sessions;
    private final WorkerThreads workers;
    private final Pool pool;
    private final AcmeConfig config;
    private final OrderReconciler reconciler;

    IssuanceService(DomainService domains, DomainTransitions transitions, AcmeAccounts accounts, AcmeSessions sessions,
            WorkerThreads workers, Pool pool, AcmeConfig config, OrderReconciler reconciler) {
        this.domains = domains;
        this.transitions = transitions;
        this.accounts = accounts;
        this.sessions = sessions;
        this.workers = workers;
        this.pool = pool;
        this.config = config;
        this.reconciler = reconciler;
    }

    /** What the caller learns about a newly opened order. */
    public record Opened(String orderId, Domain domain, DomainStatus status, String challengeDomain, String txtValue) {
    }

    public Uni<Opened> issue(String domainId) {
        return domains.find(domainId).chain(domain -> {
            if (domain.status != DomainStatus.VERIFIED && domain.status != DomainStatus.ACTIVE) {
                return Uni.createFrom().failure(ApiException.badRequest("domain is " + domain.status.wire()
                        + "; a certificate can be issued for verified domains, and re-issued for active ones"));
            }
            return openOrderOf(domain.id)
                    .invoke(open -> {
                        if (open != null) {
                            throw ApiException.conflict("order " + open + " for this domain is still in progress");
                        }
                    })
                    .chain(() -> domain.status == DomainStatus.ACTIVE ? newestCertificateOf(domain.id) : Uni.createFrom().nullItem())
                    .chain(replaces -> open(domain, domain.status == DomainStatus.ACTIVE ? "reissue" : "issue", replaces))
                    .onFailure(e -> !(e instanceof ApiException)).transform(IssuanceService::badGateway);
        });
    }

    /**
     * Opens the renewal order of an active domain's certificate {@code certificateId}; the domain
     * stays active. Fails (and the caller records the failure) when the CA refuses or is down.
     */
    public Uni<Opened> renew(String domainId, String certificateId) {
        // The reactive pool, not a Hibernate session: renewals run side by side on one scheduler
        // context, where sessions would be shared.
        return pool.preparedQuery("SELECT id, domain_name, project_subdomain, status FROM domains WHERE id = $1")
                .execute(Tuple.of(domainId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().failure(new IllegalStateException("domain " + domainId + " no longer exists"));
                    }
                    Domain domain = Domain.of(rows.iterator().next());
                    return domain.status != DomainStatus.ACTIVE
                            ? Uni.createFrom().failure(new IllegalStateException("domain is " + domain.status.wire()))
                            : open(domain, "renewal", certificateId);
                });
    }

    private Uni<Opened> open(Domain domain, String purpose, String replaces) {
        return chainOf(replaces)
                .chain(chain -> accounts.login()
                        .chain(login -> workers.run(() -> AcmeGateway.open(login, domain.domainName,
                                chain == null ? null : CertificateChains.leaf(chain)))))
                .chain(opened -> record(domain, opened, purpose, replaces))
                .invoke(o -> reconciler.kick());
    }

    private Uni<String> chainOf(String certificateId) {
        if (certificateId == null) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT chain_pem FROM certificates WHERE id = $1").execute(Tuple.of(certificateId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("chain_pem") : null);
    }

    private Uni<String> newestCertificateOf(String domainId) {
        return pool.preparedQuery("SELECT id FROM certificates WHERE domain_id = $1 ORDER BY issued_at DESC LIMIT 1")
                .execute(Tuple.of(domainId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("id") : null);
    }

    private Uni<String> openOrderOf(String domainId) {
        return pool.preparedQuery("SELECT id FROM acme_orders WHERE domain_id = $1 AND state IN " + OrderStore.OPEN)
                .execute(Tuple.of(domainId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("id") : null);
    }

    private Uni<Opened> record(Domain domain, AcmeGateway.OpenedOrder opened, String purpose, String replaces) {
        String orderId = RandomIds.id();
        OrderState first = opened.challenges().isEmpty() ? OrderState.FINALIZING : OrderState.AWAITING_DNS;
        DomainStatus status = domain.status == DomainStatus.VERIFIED ? DomainStatus.CERTIFICATE_PENDING : DomainStatus.ACTIVE;
        return pool.withTransaction(conn -> claimDomain(conn, domain)
                        .chain(() -> conn.preparedQuery("""
                                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts,
                                                         txt_deadline, deadline, created_at, updated_at, purpose, replaces_certificate_id,
                                                         replaces_ari_id)
                                VALUES ($1, $2, $3, $4, $5, now(), 0, now() + make_interval(secs => $6),
                                        now() + make_interval(secs => $7), now(), now(), $8, $9, $10)""")
                                .execute(Tuple.from(java.util.Arrays.asList(orderId, domain.id, sessions.directory(), opened.orderUrl(), first.wire(),
                                        config.txtTimeout().toMillis() / 1000.0,
                                        (config.txtTimeout().toMillis() + config.orderTimeout().toMillis()) / 1000.0, purpose, replaces,
                                        opened.replacesAriId()))))
                        .chain(() -> insertChallenges(conn, orderId, opened.challenges())))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? ApiException.conflict("an order for this domain is already in progress")
                        : e)
                .map(ignored -> {
                    LOG.infof("opened %s order %s for %s (%s)", purpose, orderId, domain.domainName, opened.orderUrl());
                    String txt = opened.challenges().isEmpty() ? null : opened.challenges().get(0).txtValue();
                    return new Opened(orderId, domain, status, domain.name().challengeName(), txt);
                });
    }

    /** verified -> certificate_pending; an active domain stays active while it is re-issued. */
    private Uni<Void> claimDomain(SqlConnection conn, Domain domain) {
        Uni<Boolean> claimed = domain.status == DomainStatus.VERIFIED
                ? transitions.move(conn, domain.id, DomainStatus.VERIFIED, DomainStatus.CERTIFICATE_PENDING, null)
                : conn.preparedQuery("SELECT 1 FROM domains WHERE id = $1 AND status = 'active' FOR UPDATE")
                        .execute(Tuple.of(domain.id)).map(rows -> rows.size() == 1);
        return claimed.invoke(ok -> {
            if (!ok) {
                throw ApiException.conflict("the domain changed while the order was being opened; try again");
            }
        }).replaceWithVoid();
    }

    private Uni<Void> insertChallenges(SqlConnection conn, String orderId, List<AcmeGateway.PendingChallenge> challenges) {
        if (challenges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = challenges.stream().map(c -> Tuple.from(List.of(RandomIds.id(), orderId, c.authorizationUrl(),
                c.challengeUrl(), c.recordName(), c.txtValue()))).toList();
        return conn.preparedQuery("""
                        INSERT INTO acme_challenges (id, order_id, authorization_url, challenge_url, record_name, txt_value, state, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, 'pending', now())""")
                .executeBatch(rows).replaceWithVoid();
    }

    private static Throwable badGateway(Throwable e) {
        AcmeFailure f = AcmeFailure.of(e);
        String reason = f.permanent() ? "the ACME CA refused the order: " + f.detail() : "the ACME CA could not be used: " + f.detail();
        return new ApiException(502, reason);
    }
}
