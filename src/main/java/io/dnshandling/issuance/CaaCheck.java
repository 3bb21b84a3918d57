package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.issuance.CaaPolicy.Caa;
import io.dnshandling.verification.DnsLookup;
import io.dnshandling.verification.DnsLookupException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.Type;

/**
 * CAA before ordering: the relevant CAA RRset of a name (RFC 8659: the name's own, else its
 * parent's, climbing, each lookup following CNAMEs) must let the configured CA issue, or the order
 * would only fail at the CA. Checked when a certificate is issued and before every renewal. The
 * climb stops at the registered domain: public suffixes do not publish CAA, and asking the
 * top-level domain's servers for every order would cost a lookup for nothing. A lookup that fails
 * does not block the order (the CA checks CAA itself).
 */
@ApplicationScoped
public class CaaCheck {

    private static final Logger LOG = Logger.getLogger(CaaCheck.class);

    private final DnsLookup dns;

    CaaCheck(DnsLookup dns) {
        this.dns = dns;
    }

    /** Completes when CAA allows {@code ca} to issue for every one of {@code names}; fails for the first that it does not. */
    public Uni<Void> checkAll(List<String> names, CertificateAuthority ca) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String name : names) {
            all = all.chain(() -> check(name, ca));
        }
        return all;
    }

    /** Completes when CAA allows {@code ca} to issue for {@code name}; fails with a 400 naming the record when it does not. */
    public Uni<Void> check(String name, CertificateAuthority ca) {
        return refusal(name, ca).invoke(refusal -> refusal.ifPresent(why -> {
            throw new CaaRefusal(why);
        })).replaceWithVoid().onFailure(DnsLookupException.class).recoverWithUni(e -> {
            LOG.debugf("CAA for %s not checked: %s", name, e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Why CAA does not let {@code ca} issue for {@code name} (a sentence naming the record), or
     * empty when it does; a failed lookup fails with {@link DnsLookupException}.
     */
    public Uni<Optional<String>> refusal(String name, CertificateAuthority ca) {
        boolean wildcard = name.startsWith("*.");
        String base = wildcard ? name.substring(2) : name;
        return relevant(base, OrderBudget.registeredDomain(base)).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<String>empty());
            }
            List<Caa> set = found.get().records();
            boolean namesAccount = set.stream().anyMatch(r -> r.value().toLowerCase().contains("accounturi"));
            Uni<String> account = namesAccount ? ca.accountUrl() : Uni.createFrom().item((String) null);
            return ca.caaIdentities().chain(identities -> account.map(url -> CaaPolicy.refusal(set, wildcard, identities, () -> url)))
                    .map(refusal -> refusal.map(why -> "CAA at " + found.get().at() + " does not allow the CA " + ca.name() + " to issue for "
                            + name + ": " + why));
        });
    }

    private record Found(String at, List<Caa> records) {
    }

    /** The first non-empty CAA RRset from {@code name} up to {@code top}. */
    private Uni<Optional<Found>> relevant(String name, String top) {
        return dns.lookup(name + ".", Type.CAA).chain(answer -> {
            List<Caa> records = answer.records().stream().filter(r -> r instanceof CAARecord).map(r -> (CAARecord) r)
                    .map(r -> new Caa(r.getFlags(), r.getTag(), r.getValue())).toList();
            if (!records.isEmpty()) {
                return Uni.createFrom().item(Optional.of(new Found(name, records)));
            }
            int dot = name.indexOf('.');
            if (name.equalsIgnoreCase(top) || dot < 0) {
                return Uni.createFrom().item(Optional.<Found>empty());
            }
            return relevant(name.substring(dot + 1), top);
        });
    }
}
