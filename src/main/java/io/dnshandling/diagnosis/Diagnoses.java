package io.dnshandling.diagnosis;

import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.Issuers;
import io.dnshandling.delivery.DeliveryTargets;
import io.dnshandling.delivery.DeploymentStore;
import io.dnshandling.diagnosis.DiagnosisFacts.Facts;
import io.dnshandling.diagnosis.DnsFindings.Seen;
import io.dnshandling.dns.Delegation;
import io.dnshandling.dns.Node;
import io.dnshandling.dns.RecordData;
import io.dnshandling.dns.Zone;
import io.dnshandling.domain.AdditionalName;
import io.dnshandling.domain.DomainName;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.issuance.CaaCheck;
import io.dnshandling.verification.DnsLookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Why a domain does or does not have a good certificate, checked live: what is stored about it,
 * its delegation CNAME and challenge values as the resolvers see them, what our own DNS server
 * serves, CAA, and what each delivery target holds. Every lookup starts at once and all of them
 * share one deadline ({@code DIAGNOSIS_DEADLINE}): a lookup still unanswered then is reported
 * as unknown, so a diagnosis never takes longer than that and one database read.
 */
@ApplicationScoped
public class Diagnoses {

    /** A diagnosis: the domain, when it was checked, whether every check passed, and each check. */
    public record Report(Facts facts, Instant checkedAt, List<Check> checks) {

        public boolean healthy() {
            return checks.stream().allMatch(c -> c.result() == Check.Result.OK);
        }
    }

    private final DiagnosisFacts facts;
    private final DnsLookup dns;
    private final Zone zone;
    private final CaaCheck caa;
    private final Issuers issuers;
    private final DeliveryTargets targets;
    private final DeploymentStore deployments;
    private final String baseDomain;
    private final Duration deadline;
    private final Clock clock;

    Diagnoses(DiagnosisFacts facts, DnsLookup dns, Zone zone, CaaCheck caa, Issuers issuers, DeliveryTargets targets,
            DeploymentStore deployments, @ConfigProperty(name = "base.domain") String baseDomain,
            @ConfigProperty(name = "diagnosis.deadline") Duration deadline, Clock clock) {
        this.facts = facts;
        this.dns = dns;
        this.zone = zone;
        this.caa = caa;
        this.issuers = issuers;
        this.targets = targets;
        this.deployments = deployments;
        this.baseDomain = baseDomain;
        this.deadline = deadline;
        this.clock = clock;
    }

    /** The diagnosis of domain {@code id}; a 404 for unknown ids. */
    public Uni<Report> of(String id) {
        return facts.of(id).chain(f -> {
            String target = Delegation.target(f.projectSubdomain(), baseDomain);
            String challenge = new DomainName(f.name()).challengeName();
            Uni<Seen> cname = look(challenge, Type.CNAME);
            Uni<Seen> txt = look(challenge, Type.TXT);
            Uni<List<Check>> others = otherDelegations(f, target);
            Uni<Check> caaCheck = caa(f);
            Uni<List<DeploymentStore.Deployment>> delivered = f.status() == DomainStatus.ACTIVE && !targets.names().isEmpty()
                    ? deployments.of(f.id()) : Uni.createFrom().item(List.of());
            return Uni.combine().all().unis(cname, txt, others, caaCheck, delivered).asTuple()
                    .map(t -> report(f, target, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(), t.getItem5()));
        });
    }

    private Report report(Facts f, String target, Seen cname, Seen txt, List<Check> others, Check caaCheck,
            List<DeploymentStore.Deployment> delivered) {
        Instant now = clock.instant();
        List<Check> checks = new ArrayList<>();
        checks.add(StateChecks.ownership(f, target, now));
        checks.add(DnsFindings.delegation(f, f.name(), target, cname, txt));
        checks.addAll(others);
        checks.add(DnsFindings.challengeValues(f, target, served(f), DnsFindings.delegated(cname, target), txt));
        checks.add(caaCheck);
        StateChecks.order(f, now).ifPresent(checks::add);
        checks.add(StateChecks.certificate(f, now));
        checks.addAll(DeliveryFindings.of(f, targets.names(), delivered));
        return new Report(f, now, checks);
    }

    /** The TXT values this replica's DNS server answers at the domain's delegation target. */
    private List<String> served(Facts f) {
        Name target = Delegation.target(f.projectSubdomain(), zone.origin());
        Node node = zone.node(target);
        if (node == null) {
            return List.of();
        }
        return node.get(target, Type.TXT).stream()
                .filter(r -> r instanceof TXTRecord).map(r -> RecordData.text((TXTRecord) r)).toList();
    }

    /**
     * The delegation of each additional name with a challenge name of its own (not the domain's
     * wildcard, whose challenge is the domain's), looked up beside the domain's, under the same deadline.
     */
    private Uni<List<Check>> otherDelegations(Facts f, String target) {
        DomainName domain = new DomainName(f.name());
        List<String> own = f.names().stream().map(n -> AdditionalName.parse(domain, n.name()))
                .filter(n -> !n.provenByDomain(domain)).map(AdditionalName::provenOn).distinct().toList();
        if (own.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Check>> each = own.stream().map(name -> {
            String challenge = new DomainName(name).challengeName();
            return Uni.combine().all().unis(look(challenge, Type.CNAME), look(challenge, Type.TXT)).asTuple()
                    .map(t -> DnsFindings.delegation(f, name, target, t.getItem1(), t.getItem2()));
        }).toList();
        return Uni.join().all(each).andFailFast();
    }

    private Uni<Seen> look(String name, int type) {
        return dns.lookup(name, type).map(Seen::of)
                .ifNoItem().after(deadline).recoverWithItem(() -> Seen.failed("no answer within the diagnosis deadline of "
                        + deadline.toMillis() + " ms"))
                .onFailure().recoverWithItem(e -> Seen.failed(e.getMessage()));
    }

    /** CAA for the domain and its verified names, against the CA its next order goes to first. */
    private Uni<Check> caa(Facts f) {
        CertificateAuthority ca = (f.certificate() == null ? issuers.ordered() : issuers.preferring(f.certificate().directory())).get(0);
        List<String> names = new ArrayList<>();
        names.add(f.name());
        names.addAll(f.verifiedNames());
        Uni<Optional<String>> first = Uni.createFrom().item(Optional.empty());
        for (String name : names) {
            first = first.chain(found -> found.isPresent() ? Uni.createFrom().item(found) : caa.refusal(name, ca));
        }
        String all = String.join(", ", names);
        return first.map(refusal -> refusal.map(why -> Check.problem("caa", why + ". Add a CAA issue record for the CA, or remove the one "
                        + "that leaves it out.")).orElseGet(() -> Check.ok("caa", "CAA lets the CA '" + ca.name() + "' issue for " + all + ".")))
                .ifNoItem().after(deadline).recoverWithItem(() -> Check.unknown("caa", "CAA could not be looked up within the diagnosis "
                        + "deadline of " + deadline.toMillis() + " ms."))
                .onFailure().recoverWithItem(e -> Check.unknown("caa", "CAA could not be looked up: " + e.getMessage() + "."));
    }
}
