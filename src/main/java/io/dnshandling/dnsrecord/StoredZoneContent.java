package io.dnshandling.dnsrecord;

import io.dnshandling.core.KeysetScan;
import io.dnshandling.dns.RecordData;
import io.dnshandling.dns.Zone;
import io.dnshandling.dns.ZoneContent;
import io.dnshandling.dns.ZoneRecords;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * The records managed through {@code /dns/records}, as the zone serves them. Read with the SQL
 * client: zone loads run on the DNS server's own context, outside any request, and build records,
 * not entities.
 */
@ApplicationScoped
public class StoredZoneContent implements ZoneContent {

    private static final Logger LOG = Logger.getLogger(StoredZoneContent.class);
    private static final String COLUMNS = "SELECT id, name, type, value, ttl, priority, weight, port FROM dns_records";

    private final Pool pool;

    StoredZoneContent(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Void> addAll(ZoneRecords out) {
        return KeysetScan.each(pool, COLUMNS, "id", row -> add(row, out));
    }

    @Override
    public Uni<Void> addAt(Set<String> names, Set<String> projectSubdomains, ZoneRecords out) {
        return pool.preparedQuery(COLUMNS + " WHERE name = ANY($1)").execute(Tuple.of((Object) names.toArray(String[]::new)))
                .invoke(rows -> rows.forEach(row -> add(row, out))).replaceWithVoid();
    }

    private static void add(Row row, ZoneRecords out) {
        try {
            Name name = Zone.absolute(row.getString("name"));
            out.add(new RecordData(name, row.getString("type"), row.getString("value"), row.getInteger("ttl"),
                    row.getInteger("priority"), row.getInteger("weight"), row.getInteger("port")).toRecord());
        } catch (RuntimeException e) {
            // The API validates every row it writes; a row it cannot serve is skipped, not fatal.
            LOG.warnf("skipping stored record %s %s: %s", row.getString("name"), row.getString("type"), e.getMessage());
        }
    }
}
