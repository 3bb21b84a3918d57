package io.dnshandling.issuance;

import io.dnshandling.dns.RecordData;
import io.dnshandling.dns.Delegation;
import io.dnshandling.dns.Node;
import io.dnshandling.dns.Zone;
import io.dnshandling.verification.DnsLookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** {@link ChallengeVisibility} through the built-in zone and the configured resolvers. */
@ApplicationScoped
public class DnsChallengeVisibility implements ChallengeVisibility {

    private final Zone zone;
    private final DnsLookup dns;

    DnsChallengeVisibility(Zone zone, DnsLookup dns) {
        this.zone = zone;
        this.dns = dns;
    }

    @Override
    public boolean servedByOwnZone(ClaimedOrder order, List<Challenge> pending) {
        if (!zone.loaded()) {
            return true; // DNS server disabled: nothing of ours to wait for
        }
        Name target = Delegation.target(order.projectSubdomain(), zone.origin());
        Node node = zone.node(target);
        if (node == null) {
            return false;
        }
        List<String> served = node.get(target, Type.TXT).stream().map(r -> RecordData.text((TXTRecord) r)).toList();
        return pending.stream().allMatch(c -> served.contains(c.txtValue()));
    }

    @Override
    public Uni<Boolean> visible(Challenge challenge) {
        return dns.lookup(challenge.recordName(), Type.TXT)
                .map(answer -> answer.txtValues().contains(challenge.txtValue()))
                .onFailure().recoverWithItem(false);
    }
}
