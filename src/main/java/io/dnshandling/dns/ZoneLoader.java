package io.dnshandling.dns;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Gathers what the zone holds from every {@link ZoneContent}: all of it at startup and on a full
 * reload, or just the names a change notification stands for.
 */
@ApplicationScoped
public class ZoneLoader {

    private static final Logger LOG = Logger.getLogger(ZoneLoader.class);

    private final Zone zone;
    private final List<ZoneContent> contents;

    ZoneLoader(Zone zone, Instance<ZoneContent> contents) {
        this.zone = zone;
        this.contents = contents.stream().toList();
    }

    /** Everything the zone holds. */
    Uni<Map<Name, List<Record>>> loadAll() {
        ZoneRecords out = new ZoneRecords(zone.origin());
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ZoneContent content : contents) {
            all = all.chain(() -> content.addAll(out));
        }
        return all.map(v -> out.byName());
    }

    /**
     * What the zone holds at each of {@code names}; every name asked for is in the result, with
     * an empty list when nothing is there any more.
     */
    Uni<Map<Name, List<Record>>> load(Collection<Name> names) {
        ZoneRecords out = new ZoneRecords(zone.origin());
        Set<String> stored = new HashSet<>();
        Set<String> subs = new HashSet<>();
        for (Name n : names) {
            out.expect(n);
            stored.add(DnsNames.stored(n));
            String sub = Delegation.projectSubdomainOf(n, zone.origin());
            if (sub != null) {
                subs.add(sub);
            }
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ZoneContent content : contents) {
            all = all.chain(() -> content.addAt(stored, subs, out));
        }
        // A source may add records beside the names asked for (a domain's host and target
        // together); only the names asked for are replaced.
        return all.map(v -> {
            out.byName().keySet().retainAll(names);
            return out.byName();
        });
    }

    /** The names under the zone that a domain with this project subdomain can put records at. */
    private List<Name> namesOfProjectSubdomain(String sub) {
        return List.of(Delegation.host(sub, zone.origin()), Delegation.target(sub, zone.origin()));
    }

    /** The zone names a notification payload stands for: {@code r:<name>} or {@code d:<project subdomain>}. */
    List<Name> namesOf(String key) {
        try {
            if (key.startsWith("r:")) {
                return List.of(Zone.absolute(key.substring(2)));
            }
            if (key.startsWith("d:")) {
                return namesOfProjectSubdomain(key.substring(2));
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring zone change notification '%s': %s", key, e.getMessage());
            return List.of();
        }
        LOG.warnf("ignoring unknown zone change notification '%s'", key);
        return List.of();
    }
}
