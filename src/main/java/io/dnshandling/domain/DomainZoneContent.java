package io.dnshandling.domain;

import io.dnshandling.config.DnsConfig;
import io.dnshandling.dns.Delegation;
import io.dnshandling.dns.RecordData;
import io.dnshandling.dns.ZoneContent;
import io.dnshandling.dns.ZoneRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/**
 * The records each registered domain implies under its project subdomain: the ingress addresses
 * at {@code <sub>.<zone>} and, while the domain awaits verification, its token as TXT at its
 * delegation target.
 */
@ApplicationScoped
public class DomainZoneContent implements ZoneContent {

    private final DomainRepository domains;
    private final long recordTtl;
    private final long challengeTtl;
    private final List<InetAddress> ingress4;
    private final List<InetAddress> ingress6;

    DomainZoneContent(DomainRepository domains, DnsConfig config) {
        this.domains = domains;
        this.recordTtl = config.server().recordTtl();
        this.challengeTtl = config.server().challengeTtl();
        this.ingress4 = config.ingressIpv4().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(RecordData::ipv4).toList();
        this.ingress6 = config.ingressIpv6().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(RecordData::ipv6).toList();
    }

    @Override
    public Uni<Void> addAll(ZoneRecords out) {
        return domains.eachDelegation(d -> add(d, out));
    }

    @Override
    public Uni<Void> addAt(Set<String> names, Set<String> projectSubdomains, ZoneRecords out) {
        if (projectSubdomains.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return domains.delegations(projectSubdomains.toArray(String[]::new)).invoke(found -> found.forEach(d -> add(d, out))).replaceWithVoid();
    }

    private void add(DomainRepository.Delegated d, ZoneRecords out) {
        Name host = Delegation.host(d.projectSubdomain(), out.origin());
        for (InetAddress a : ingress4) {
            out.add(new ARecord(host, DClass.IN, recordTtl, a));
        }
        for (InetAddress a : ingress6) {
            out.add(new AAAARecord(host, DClass.IN, recordTtl, a));
        }
        if (d.status() == DomainStatus.PENDING || d.status() == DomainStatus.FAILED) {
            out.add(RecordData.txt(Delegation.target(d.projectSubdomain(), out.origin()), challengeTtl, d.verificationToken()));
        }
    }
}
