package io.dnshandling.issuance;

import io.dnshandling.dns.RecordData;
import io.dnshandling.config.DnsConfig;
import io.dnshandling.dns.Delegation;
import io.dnshandling.dns.ZoneContent;
import io.dnshandling.dns.ZoneRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The dns-01 values of orders still waiting for the CA to validate them, at the domain's
 * delegation target. Several values at once when needed (two authorizations of one order, or a
 * renewal beside a verification token): a TXT RRset holds them all.
 */
@ApplicationScoped
public class ChallengeZoneContent implements ZoneContent {

    private final ChallengeStore challenges;
    private final long ttl;

    ChallengeZoneContent(ChallengeStore challenges, DnsConfig config) {
        this.challenges = challenges;
        this.ttl = config.server().challengeTtl();
    }

    @Override
    public Uni<Void> addAll(ZoneRecords out) {
        return challenges.published(null).invoke(values -> add(values, out)).replaceWithVoid();
    }

    @Override
    public Uni<Void> addAt(Set<String> names, Set<String> projectSubdomains, ZoneRecords out) {
        if (projectSubdomains.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return challenges.published(projectSubdomains.toArray(String[]::new)).invoke(values -> add(values, out)).replaceWithVoid();
    }

    private void add(List<Map.Entry<String, String>> values, ZoneRecords out) {
        for (Map.Entry<String, String> v : values) {
            Name target = Delegation.target(v.getKey(), out.origin());
            out.add(RecordData.txt(target, ttl, v.getValue()));
        }
    }
}
