package io.dnshandling.domain;

import io.dnshandling.config.AcmeConfig;
import io.dnshandling.core.ConflictException;
import io.dnshandling.core.NotFoundException;
import io.dnshandling.dns.Delegation;
import io.dnshandling.verification.DnsLookupException;
import io.dnshandling.verification.LookupAnswer;
import io.dnshandling.verification.DnsLookup;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Type;

/**
 * A domain's additional names: added, proven and removed. A name is proven where the CA will look
 * for its dns-01 value: the domain's wildcard by the domain's own verification; a name under the
 * domain by a CNAME from its {@code _acme-challenge} name to the domain's delegation target (the
 * same target the domain's own CNAME points at), or by the domain's token as TXT there. Only
 * verified names go on the certificate; the database makes a change of them due for re-issue.
 */
@ApplicationScoped
public class DomainNames {

    private static final Logger LOG = Logger.getLogger(DomainNames.class);

    private final DomainService domains;
    private final NameRows rows;
    private final DnsLookup dns;
    private final Clock clock;
    private final String baseDomain;
    private final int maxNames;

    DomainNames(DomainService domains, NameRows rows, DnsLookup dns, Clock clock, @ConfigProperty(name = "base.domain") String baseDomain,
            AcmeConfig acme) {
        this.domains = domains;
        this.rows = rows;
        this.dns = dns;
        this.clock = clock;
        this.baseDomain = baseDomain.toLowerCase(Locale.ROOT);
        if (acme.maxNames() < 1) {
            throw new IllegalArgumentException("ACME_MAX_NAMES must be at least 1, not " + acme.maxNames());
        }
        this.maxNames = acme.maxNames();
    }

    /** The outcome of adding (or checking again) a name: the row, and whether it is new. */
    public record Added(NameRows.Stored name, boolean created) {
    }

    /**
     * Adds {@code raw} to the domain and checks its proof now; a name already there is checked
     * again unless it is verified. 400 for a name that is not the domain's, 409 past the
     * certificate's limit or for another verified domain's own name.
     */
    public Uni<Added> add(Domain domain, String raw) {
        return Uni.createFrom().deferred(() -> {
            AdditionalName name = AdditionalName.parse(domain.name(), raw);
            return rows.of(domain.id).chain(existing -> {
                boolean known = existing.stream().anyMatch(s -> s.name().equals(name.ascii()));
                if (!known && existing.size() + 1 >= maxNames) {
                    throw new ConflictException("a certificate covers at most " + maxNames + " names (ACME_MAX_NAMES); "
                            + domain.domainName + " has " + (existing.size() + 1) + " already");
                }
                return rows.registeredElsewhere(domain.id, name.ascii()).chain(elsewhere -> {
                    if (elsewhere) {
                        throw new ConflictException("'" + name.ascii() + "' is registered and verified as a domain of its own");
                    }
                    return proof(domain, name);
                }).chain(problem -> rows.upsert(domain.id, name.ascii(), problem == null, problem, now()))
                        .map(stored -> new Added(stored, !known));
            });
        }).onFailure(DomainNames::domainGone).transform(e -> DomainService.notFound())
                .invoke(added -> LOG.infof("domain %s: name %s is %s", domain.id, added.name().name(), added.name().status()));
    }

    /** Removes {@code raw} from the domain; 404 when it is not one of its names. */
    public Uni<Void> remove(String domainId, String raw) {
        return domains.find(domainId).chain(domain -> {
            String name;
            try {
                name = AdditionalName.parse(domain.name(), raw).ascii();
            } catch (InvalidDomainNameException e) {
                name = raw;
            }
            String removed = name;
            return rows.delete(domain.id, name).invoke(found -> {
                if (!found) {
                    throw new NotFoundException("'" + raw + "' is not a name of this domain");
                }
                LOG.infof("domain %s: name %s removed", domain.id, removed);
            });
        }).replaceWithVoid();
    }

    /** Null when {@code name} is proven; otherwise what is missing, in words for the customer. */
    private Uni<String> proof(Domain domain, AdditionalName name) {
        if (name.provenByDomain(domain.name())) {
            boolean verified = domain.status == DomainStatus.VERIFIED || domain.status == DomainStatus.CERTIFICATE_PENDING
                    || domain.status == DomainStatus.ACTIVE;
            return Uni.createFrom().item(verified ? null : "proven when " + domain.domainName + " is verified");
        }
        String at = name.challengeName();
        String target = Delegation.target(domain.projectSubdomain, baseDomain) + ".";
        Uni<LookupAnswer> cname = dns.lookup(at, Type.CNAME);
        Uni<LookupAnswer> txt = dns.lookup(at, Type.TXT);
        return Uni.combine().all().unis(cname, txt).asTuple().map(found -> {
            boolean delegated = found.getItem1().records().stream().filter(r -> r instanceof CNAMERecord)
                    .anyMatch(r -> ((CNAMERecord) r).getTarget().toString().equalsIgnoreCase(target));
            if (delegated || found.getItem2().txtValues().contains(domain.verificationToken)) {
                return (String) null;
            }
            return "neither the CNAME " + at + " -> " + target + " nor the TXT record " + at + " with the domain's verification token"
                    + " was found; set one of them and add the name again";
        }).onFailure(DnsLookupException.class).recoverWithItem(e -> "not checked: " + e.getMessage() + "; add the name again to retry");
    }

    /** What the customer sets for {@code name} of {@code domain}, once. */
    public String instructions(Domain domain, String name) {
        AdditionalName parsed = AdditionalName.parse(domain.name(), name);
        if (parsed.provenByDomain(domain.name())) {
            return "Proven by the domain's own verification; nothing more to set.";
        }
        String at = parsed.challengeName();
        return "Set once the CNAME " + at + " -> " + Delegation.target(domain.projectSubdomain, baseDomain) + ". (the domain's own target), "
                + "or publish the TXT record " + at + " with the value \"" + domain.verificationToken + "\"; then add the name again.";
    }

    /** A foreign-key violation: the domain was deleted while its name was being added. */
    private static boolean domainGone(Throwable e) {
        return e instanceof PgException pg && "23503".equals(pg.getSqlState());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
