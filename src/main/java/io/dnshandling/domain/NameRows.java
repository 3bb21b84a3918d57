package io.dnshandling.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code domain_names} rows: a domain's additional names and whether each is proven. The
 * table's triggers make a change of the verified set due for re-issue and tell every replica's
 * on-handshake cache (V15).
 */
@ApplicationScoped
public class NameRows {

    /** One additional name as stored. */
    public record Stored(String name, String status, String problem, Instant createdAt, Instant verifiedAt) {

        public boolean verified() {
            return "verified".equals(status);
        }
    }

    private final Pool pool;

    NameRows(Pool pool) {
        this.pool = pool;
    }

    /** Every additional name of {@code domainId}, sorted. */
    public Uni<List<Stored>> of(String domainId) {
        return pool.preparedQuery("SELECT name, status, problem, created_at, verified_at FROM domain_names WHERE domain_id = $1 ORDER BY name")
                .execute(Tuple.of(domainId))
                .map(rows -> {
                    List<Stored> out = new ArrayList<>();
                    rows.forEach(r -> out.add(stored(r)));
                    return out;
                });
    }

    /**
     * The names a certificate of {@code domainId} covers now: the domain first, then its verified
     * names in order; empty when the domain does not exist.
     */
    public Uni<List<String>> wanted(String domainId) {
        return pool.preparedQuery("""
                        SELECT d.domain_name AS name, 0 AS rank FROM domains d WHERE d.id = $1
                        UNION ALL
                        SELECT n.name, 1 FROM domain_names n WHERE n.domain_id = $1 AND n.status = 'verified'
                        ORDER BY rank, name""")
                .execute(Tuple.of(domainId))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString("name")));
                    return out;
                });
    }

    /**
     * Records {@code name} with the outcome of its check, unless it is verified already (a proof
     * once made is kept); the row as it stands afterwards. Fails with the database's foreign-key
     * violation when the domain is gone.
     */
    Uni<Stored> upsert(String domainId, String name, boolean verified, String problem, Instant now) {
        return pool.preparedQuery("""
                        INSERT INTO domain_names (domain_id, name, status, problem, created_at, verified_at)
                        VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'verified' THEN $5 END)
                        ON CONFLICT (domain_id, name) DO UPDATE
                           SET status = EXCLUDED.status, problem = EXCLUDED.problem, verified_at = EXCLUDED.verified_at
                         WHERE domain_names.status <> 'verified'
                        RETURNING name, status, problem, created_at, verified_at""")
                .execute(Tuple.of(domainId, name, verified ? "verified" : "pending", problem, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .chain(rows -> rows.iterator().hasNext() ? Uni.createFrom().item(stored(rows.iterator().next()))
                        : of(domainId).map(all -> all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()));
    }

    /** Removes {@code name} from {@code domainId}; whether it was there. */
    Uni<Boolean> delete(String domainId, String name) {
        return pool.preparedQuery("DELETE FROM domain_names WHERE domain_id = $1 AND name = $2")
                .execute(Tuple.of(domainId, name)).map(rows -> rows.rowCount() == 1);
    }

    /** Whether a verified (or later) domain other than {@code domainId} is registered as {@code name}. */
    Uni<Boolean> registeredElsewhere(String domainId, String name) {
        return pool.preparedQuery("SELECT 1 FROM domains WHERE domain_name = $1 AND id <> $2 AND status <> 'pending'")
                .execute(Tuple.of(name, domainId)).map(rows -> rows.iterator().hasNext());
    }

    private static Stored stored(Row r) {
        OffsetDateTime verifiedAt = r.getOffsetDateTime("verified_at");
        return new Stored(r.getString("name"), r.getString("status"), r.getString("problem"), r.getOffsetDateTime("created_at").toInstant(),
                verifiedAt == null ? null : verifiedAt.toInstant());
    }
}
