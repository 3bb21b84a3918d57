package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Reads from PostgreSQL what the zone holds: the records managed through {@code /dns/records},
 * and the records each domain implies under its project subdomain: the ingress addresses at
 * {@code <sub>.<zone>} and, while the domain awaits verification, its token as TXT at
 * {@code _acme-challenge.<sub>.<zone>}.
 */
@ApplicationScoped
public class ZoneLoader {

    private static final Logger LOG = Logger.getLogger(ZoneLoader.class);
    static final String CHALLENGE_LABEL = "_acme-challenge";

    private final Pool pool;
    private final Zone zone;
    private final long recordTtl;
    private final long challengeTtl;
    private final List<InetAddress> ingress4;
    private final List<InetAddress> ingress6;

    ZoneLoader(Pool pool, Zone zone, DnsConfig config) {
        this.pool = pool;
        this.zone = zone;
        this.recordTtl = config.server().recordTtl();
        this.challengeTtl = config.server().challengeTtl();
        this.ingress4 = config.ingressIpv4().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(RecordData::ipv4).toList();
        this.ingress6 = config.ingressIpv6().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(RecordData::ipv6).toList();
    }

    /** Everything the zone holds. */
    Uni<Map<Name, List<Record>>> loadAll() {
        Map<Name, List<Record>> out = new HashMap<>();
        return pool.query("SELECT name, type, value, ttl, priority, weight, port FROM dns_records").execute()
                .invoke(rows -> rows.forEach(row -> addStored(out, row)))
                .chain(() -> pool.query("SELECT project_subdomain, verification_token, status FROM domains").execute())
                .invoke(rows -> rows.forEach(row -> addDerived(out, row)))
                .chain(() -> pool.query(OPEN_CHALLENGES).execute())
                .map(rows -> {
                    rows.forEach(row -> addChallenge(out, row));
                    return out;
                });
    }

    /** dns-01 values of orders still waiting for the CA to validate them. */
    private static final String OPEN_CHALLENGES = """
            SELECT d.project_subdomain, c.txt_value
              FROM acme_challenges c JOIN acme_orders o ON o.id = c.order_id JOIN domains d ON d.id = o.domain_id
             WHERE o.state IN ('awaiting_dns', 'validating') AND c.txt_value IS NOT NULL""";

    /**
     * What the zone holds at each of {@code names}; every name asked for is in the result, with
     * an empty list when nothing is there any more.
     */
    Uni<Map<Name, List<Record>>> load(Collection<Name> names) {
        Map<Name, List<Record>> out = new HashMap<>();
        names.forEach(n -> out.put(n, new ArrayList<>()));
        String[] stored = names.stream().map(ZoneLoader::storedForm).toArray(String[]::new);
        Set<String> subs = new HashSet<>();
        for (Name n : names) {
            String sub = projectSubdomainOf(n);
            if (sub != null) {
                subs.add(sub);
            }
        }
        return pool.preparedQuery("SELECT name, type, value, ttl, priority, weight, port FROM dns_records WHERE name = ANY($1)")
                .execute(Tuple.of(stored))
                .invoke(rows -> rows.forEach(row -> addStored(out, row)))
                .chain(() -> subs.isEmpty()
                        ? Uni.createFrom().item(out)
                        : pool.preparedQuery("SELECT project_subdomain, verification_token, status FROM domains WHERE project_subdomain = ANY($1)")
                                .execute(Tuple.of(subs.toArray(String[]::new)))
                                .invoke(rows -> rows.forEach(row -> addDerived(out, row)))
                                .chain(() -> pool.preparedQuery(OPEN_CHALLENGES + " AND d.project_subdomain = ANY($1)")
                                        .execute(Tuple.of(subs.toArray(String[]::new))))
                                .map(rows -> {
                                    rows.forEach(row -> addChallenge(out, row));
                                    return out;
                                }));
    }

    /** The names under the zone that a domain with this project subdomain can put records at. */
    List<Name> namesOfProjectSubdomain(String sub) {
        Name host = Zone.child(sub, zone.origin());
        return List.of(host, Zone.child(CHALLENGE_LABEL, host));
    }

    /** {@code sub} when {@code name} is {@code <sub>.<zone>} or {@code _acme-challenge.<sub>.<zone>}. */
    public String projectSubdomainOf(Name name) {
        int extra = name.labels() - zone.origin().labels();
        if (!name.subdomain(zone.origin()) || extra < 1 || extra > 2) {
            return null;
        }
        if (extra == 2 && !name.getLabelString(0).equalsIgnoreCase(CHALLENGE_LABEL)) {
            return null;
        }
        return name.getLabelString(extra - 1).toLowerCase(java.util.Locale.ROOT);
    }

    private void addStored(Map<Name, List<Record>> out, Row row) {
        try {
            Name name = Zone.absolute(row.getString("name"));
            RecordData data = new RecordData(name, row.getString("type"), row.getString("value"), row.getInteger("ttl"),
                    row.getInteger("priority"), row.getInteger("weight"), row.getInteger("port"));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(data.toRecord());
        } catch (RuntimeException e) {
            // The API validates every row it writes; a row it cannot serve is skipped, not fatal.
            LOG.warnf("skipping stored record %s %s: %s", row.getString("name"), row.getString("type"), e.getMessage());
        }
    }

    private void addDerived(Map<Name, List<Record>> out, Row row) {
        String sub = row.getString("project_subdomain");
        List<Name> names = namesOfProjectSubdomain(sub);
        Name host = names.get(0);
        Name challenge = names.get(1);
        for (InetAddress a : ingress4) {
            out.computeIfAbsent(host, k -> new ArrayList<>()).add(new ARecord(host, DClass.IN, recordTtl, a));
        }
        for (InetAddress a : ingress6) {
            out.computeIfAbsent(host, k -> new ArrayList<>()).add(new AAAARecord(host, DClass.IN, recordTtl, a));
        }
        String status = row.getString("status");
        if ("pending".equals(status) || "failed".equals(status)) {
            out.computeIfAbsent(challenge, k -> new ArrayList<>())
                    .add(new TXTRecord(challenge, DClass.IN, challengeTtl, row.getString("verification_token")));
        }
    }

    private void addChallenge(Map<Name, List<Record>> out, Row row) {
        Name challenge = namesOfProjectSubdomain(row.getString("project_subdomain")).get(1);
        // Several values at once when needed (two orders' authorizations, or a renewal beside a
        // verification token); a TXT RRset holds them all.
        out.computeIfAbsent(challenge, k -> new ArrayList<>())
                .add(new TXTRecord(challenge, DClass.IN, challengeTtl, row.getString("txt_value")));
    }

    static String storedForm(Name name) {
        String s = name.toString(true).toLowerCase(java.util.Locale.ROOT);
        return s;
    }
}
