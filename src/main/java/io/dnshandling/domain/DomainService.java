package io.dnshandling.domain;

import io.dnshandling.core.ConflictException;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.core.NotFoundException;
import io.dnshandling.core.PageCursor;
import io.dnshandling.core.Paging;
import io.dnshandling.verification.DnsLookup;
import io.dnshandling.verification.LookupAnswer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;
import org.xbill.DNS.Type;

/**
 * Owns the lifecycle of domains: registration and ownership verification. Every status change
 * goes through {@link DomainStatus#canMoveTo} and a conditional update, so a race between two
 * requests has exactly one winner.
 */
@ApplicationScoped
public class DomainService {

    private static final Logger LOG = Logger.getLogger(DomainService.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final DomainRepository domains;
    private final DomainPages pages;
    private final DnsLookup dns;
    private final Clock clock;
    private final DomainTransitions transitions;
    private final Duration pendingTtl;

    DomainService(DomainRepository domains, DomainPages pages, DnsLookup dns, Clock clock, DomainTransitions transitions,
                  @ConfigProperty(name = "pending.ttl", defaultValue = "7d") Duration pendingTtl) {
        this.domains = domains;
        this.pages = pages;
        this.dns = dns;
        this.clock = clock;
        this.transitions = transitions;
        if (pendingTtl.isNegative() || pendingTtl.isZero()) {
            throw new IllegalArgumentException("PENDING_TTL must be positive, not " + pendingTtl);
        }
        this.pendingTtl = pendingTtl;
    }

    /**
     * Registers {@code rawName} as a pending claim; 400 when the name is invalid, 409 when a
     * verified (or later) domain holds it. Other pending claims on the name do not matter: a
     * registration proves nothing, so it must not lock the real owner out.
     */
    public Uni<Domain> register(String rawName) {
        DomainName name = DomainName.parse(rawName);
        Domain domain = Domain.register(name, now(), pendingTtl);
        return Panache.withTransaction(() -> domains.insertUnlessOwned(domain))
                .map(inserted -> {
                    if (!inserted) {
                        throw taken(name.ascii());
                    }
                    LOG.infof("registered %s as %s", name, domain.id);
                    return domain;
                });
    }

    /** A page of the list: the domains, and where the next page starts (null on the last). */
    public record Page(List<ListedDomain> domains, String nextCursor) {
    }

    static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 200;
    /** What a name search may hold: the characters of a domain name, none of them a LIKE wildcard. */
    private static final Pattern NAME_PART = Pattern.compile("[a-z0-9.*-]{1,253}");

    /** The list's filters; each may be null (not filtered on). */
    public record Filter(String status, String certificateState, String nameContains) {
    }

    /** Domains in creation order, of the filter's status, certificate state and name part, {@code limit} at a time. */
    public Uni<Page> list(Filter filter, String cursor, Integer limit) {
        return Uni.createFrom().deferred(() -> {
            DomainStatus status;
            try {
                status = blank(filter.status()) ? null : DomainStatus.fromWire(filter.status().strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status must be one of pending, verified, certificate_pending, active, failed");
            }
            CertificateState certificate = blank(filter.certificateState()) ? null : CertificateState.fromWire(filter.certificateState());
            String name = blank(filter.nameContains()) ? null : filter.nameContains().strip().toLowerCase(Locale.ROOT);
            if (name != null && !NAME_PART.matcher(name).matches()) {
                throw new InvalidRequestException("name must be part of a domain name: letters, digits, '.', '-' and '*', at most 253");
            }
            Paging paging = Paging.of(limit, cursor, DEFAULT_PAGE, MAX_PAGE);
            return pages.page(status, certificate, name, paging.after(), paging.size())
                    .map(found -> paging.cut(found, d -> new PageCursor(d.domain().createdAt, d.domain().id)));
        }).map(page -> new Page(page.items(), page.nextCursor()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Deletes the domain and everything that hangs off it (orders, challenges, certificates); the
     * database's change notification withdraws its records from every replica's DNS answers.
     */
    public Uni<Domain> delete(String id) {
        return find(id).call(domain -> Panache.withTransaction(() -> domains.deleteById(domain.id)))
                .invoke(domain -> LOG.infof("deleted %s (%s)", domain.domainName, domain.id));
    }

    /** The domain with {@code id}; 404 for unknown ids and for anything that is not an id. */
    public Uni<Domain> find(String id) {
        if (!isId(id)) {
            return Uni.createFrom().failure(notFound());
        }
        return Panache.withSession(() -> domains.findById(id))
                .onItem().ifNull().failWith(DomainService::notFound);
    }

    /**
     * Checks the TXT records at {@code _acme-challenge.<domain>.} for the verification token and,
     * when it is there, moves the domain to {@code verified}. The DNS lookup runs outside any
     * transaction: no database connection is held while waiting on the network.
     */
    public Uni<Domain> verify(String id) {
        return find(id).chain(domain -> switch (domain.status) {
            case VERIFIED -> Uni.createFrom().item(domain);
            case PENDING -> domain.claimLapsed(now())
                    ? Uni.createFrom().failure(new ConflictException("this registration lapsed unverified at "
                            + domain.claimExpiresAt + "; register the name again"))
                    : lookUpToken(domain);
            case FAILED -> lookUpToken(domain);
            case CERTIFICATE_PENDING, ACTIVE -> Uni.createFrom().failure(new InvalidRequestException(
                    "domain is " + domain.status.wire() + "; only pending or failed domains can be verified"));
        });
    }

    private Uni<Domain> lookUpToken(Domain domain) {
        String queried = domain.name().challengeName();
        return dns.lookup(queried, Type.TXT)
                .chain(answer -> {
                    if (!answer.txtValues().contains(domain.verificationToken)) {
                        return Uni.createFrom().failure(new InvalidRequestException(tokenMissing(answer)));
                    }
                    return moveToVerified(domain);
                });
    }

    private Uni<Domain> moveToVerified(Domain domain) {
        DomainStatus from = domain.status;
        if (!from.canMoveTo(DomainStatus.VERIFIED)) {
            return Uni.createFrom().failure(new InvalidRequestException("domain is " + from.wire() + " and cannot be verified"));
        }
        Instant now = now();
        return Panache.withTransaction(() -> domains.markVerified(domain.id, from, now))
                .onFailure(DomainService::uniqueViolation).recoverWithItem(false)
                .chain(won -> {
                    if (won) {
                        transitions.counted(from, DomainStatus.VERIFIED);
                        LOG.infof("domain %s %s: %s -> verified", domain.domainName, domain.id, from.wire());
                    }
                    // The loser of a race reports what the winner wrote.
                    return find(domain.id);
                })
                .chain(current -> {
                    if (current.status == DomainStatus.VERIFIED) {
                        return Uni.createFrom().item(current);
                    }
                    return Panache.withSession(() -> domains.ownedByAnother(current.domainName, current.id))
                            .map(owned -> {
                                throw owned ? taken(current.domainName)
                                        : new ConflictException("domain changed to " + current.status.wire() + " during verification");
                            });
                });
    }

    private static ConflictException taken(String name) {
        return new ConflictException("domain '" + name + "' is already registered and verified by another registration");
    }

    /** A commit refused by a unique index: here, another claim on the name verified first. */
    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())
                    || t instanceof JDBCException jdbc && "23505".equals(jdbc.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String tokenMissing(LookupAnswer answer) {
        String via = answer.aliases().isEmpty() ? "" : " (via CNAME " + String.join(" -> ", answer.aliases()) + ")";
        if (!answer.nameExists()) {
            return "no TXT record found: " + answer.queried() + via + " does not exist (NXDOMAIN); publish the verification token there";
        }
        List<String> values = answer.txtValues();
        if (values.isEmpty()) {
            return "no TXT record found at " + answer.queried() + via + "; publish the verification token there";
        }
        String found = values.stream().limit(5)
                .map(v -> '"' + (v.length() > 64 ? v.substring(0, 61) + "..." : v) + '"')
                .collect(Collectors.joining(", "));
        return "the verification token is not among the " + values.size() + " TXT value(s) at "
                + answer.queried() + via + ": " + found;
    }

    private Instant now() {
        // The API speaks in whole seconds; storing the same value keeps reads and writes equal.
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Whether {@code id} has the form of a domain id; anything else is not found without a query. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static NotFoundException notFound() {
        return new NotFoundException("domain not found");
    }
}
