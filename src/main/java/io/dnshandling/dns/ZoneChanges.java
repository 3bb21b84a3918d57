package io.dnshandling.dns;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The log of zone changes the database's triggers write beside each notification
 * ({@code dns_zone_changes}), read by position. A position is a snapshot's xmin: every
 * transaction below it has ended, so a change logged below it is either visible or never will
 * be, and reading from one position to the next misses nothing, however transactions interleave
 * their commits.
 */
@ApplicationScoped
public class ZoneChanges {

    /** How long logged changes are kept; a replica that has not caught up for half of it reloads in full. */
    static final Duration RETENTION = Duration.ofHours(1);

    private final Pool pool;

    ZoneChanges(Pool pool) {
        this.pool = pool;
    }

    /** The keys changed since {@code from}, and the position they were read up to. */
    record Since(String upto, List<String> keys) {
    }

    /** A position and the zone's serial at it. */
    record Position(String upto, long serial) {
    }

    /**
     * The position now, and the serial ({@code dns_zone_serial}, raised by every committed change):
     * a full load that starts after reading them sees every change below the position, and holds
     * at least what the serial names.
     */
    Uni<Position> position() {
        return pool.query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS upto, (SELECT serial FROM dns_zone_serial) AS serial")
                .execute().map(rows -> {
                    Row r = rows.iterator().next();
                    return new Position(r.getString("upto"), r.getLong("serial"));
                });
    }

    /**
     * The zone's serial now; read before names are reloaded, so the serial answered never runs ahead
     * of the data. Prepared, so it is planned once per connection: it is read on every reload.
     */
    Uni<Long> serial() {
        return pool.preparedQuery("SELECT serial FROM dns_zone_serial").execute().map(rows -> rows.iterator().next().getLong("serial"));
    }

    Uni<Since> since(String from) {
        return pool.preparedQuery("""
                        SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS upto,
                               ARRAY(SELECT DISTINCT key FROM dns_zone_changes
                                      WHERE xid >= $1::xid8 AND xid < pg_snapshot_xmin(pg_current_snapshot())) AS keys""")
                .execute(Tuple.of(from))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Since(r.getString("upto"), Arrays.asList(r.getArrayOfStrings("keys")));
                });
    }

    /** Forgets changes older than the retention; every replica may do it, the result is the same. */
    Uni<Void> prune() {
        return pool.preparedQuery("DELETE FROM dns_zone_changes WHERE at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) RETENTION.toSeconds())).replaceWithVoid();
    }
}
