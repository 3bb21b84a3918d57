package io.dnshandling.domain;

import io.dnshandling.core.KeysetScan;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one owner of the {@code domains} table. The domain's own units of work (register, read,
 * verify, delete) go through the {@link Domain} entity (Panache). A status move that must
 * commit with another table's rows (an order opened, a certificate stored) runs on that unit of
 * work's connection, and the zone's bulk read runs on the DNS server's context outside any
 * request: those are SQL, here and nowhere else. The list's pages ({@link DomainPages}) and the
 * overview of one domain ({@link DomainOverviews}) are read models beside it; they write nothing.
 */
@ApplicationScoped
public class DomainRepository implements PanacheRepositoryBase<Domain, String> {

    private final Pool pool;

    DomainRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts {@code d} unless a domain past verification holds its name; true when inserted.
     * Pending claims on the same name do not stand in the way: whichever verifies first takes it.
     */
    Uni<Boolean> insertUnlessOwned(Domain d) {
        return getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO domains (id, domain_name, verification_token, project_subdomain,
                                             status, claim_expires_at, created_at, updated_at)
                        SELECT :id, :name, :token, :sub, :status, :expires, :created, :updated
                         WHERE NOT EXISTS (SELECT 1 FROM domains WHERE domain_name = :name AND status <> 'pending')""")
                .setParameter("id", d.id)
                .setParameter("name", d.domainName)
                .setParameter("token", d.verificationToken)
                .setParameter("sub", d.projectSubdomain)
                .setParameter("status", d.status.wire())
                .setParameter("expires", d.claimExpiresAt)
                .setParameter("created", d.createdAt)
                .setParameter("updated", d.updatedAt)
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /**
     * Moves the domain to {@code VERIFIED} only if it is still in {@code from} and no other domain
     * holds its name past verification: of two concurrent callers exactly one sees true. Two claims
     * on one name verifying at once both pass the check; the unique index {@code domains_owned_name}
     * then fails the later commit, which the caller reports as taken.
     */
    Uni<Boolean> markVerified(String id, DomainStatus from, Instant now) {
        return getSession().chain(s -> s.createNativeQuery("""
                        UPDATE domains d SET status = 'verified', verified_at = :now, updated_at = :now, failure_reason = NULL
                         WHERE d.id = :id AND d.status = :from
                           AND NOT EXISTS (SELECT 1 FROM domains o
                                            WHERE o.domain_name = d.domain_name AND o.id <> d.id AND o.status <> 'pending')""")
                .setParameter("now", now)
                .setParameter("id", id)
                .setParameter("from", from.wire())
                .executeUpdate())
                .chain(rows -> rows != 1 ? Uni.createFrom().item(false) : getSession().chain(s -> s.createNativeQuery("""
                                UPDATE domain_names n SET status = 'verified', verified_at = :now, problem = NULL
                                  FROM domains d
                                 WHERE d.id = :id AND n.domain_id = d.id AND n.name = '*.' || d.domain_name AND n.status = 'pending'""")
                        // The domain's wildcard is proven by the domain's own record.
                        .setParameter("now", now)
                        .setParameter("id", id)
                        .executeUpdate()).replaceWith(true));
    }

    /** Whether a domain other than {@code id} holds {@code name} past verification. */
    Uni<Boolean> ownedByAnother(String name, String id) {
        return count("domainName = ?1 and id <> ?2 and status <> ?3", name, id, DomainStatus.PENDING).map(n -> n > 0);
    }

    /** Deletes up to {@code limit} pending claims that lapsed by {@code now}; how many went. */
    Uni<Integer> deleteLapsedClaims(Instant now, int limit) {
        return pool.preparedQuery("""
                        DELETE FROM domains WHERE id IN (
                          SELECT id FROM domains WHERE status = 'pending' AND claim_expires_at <= $1
                           ORDER BY claim_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)""")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> rows.rowCount());
    }

    /** Whether a registered domain owns the delegation label {@code projectSubdomain}. */
    public Uni<Boolean> ownsProjectSubdomain(String projectSubdomain) {
        return count("projectSubdomain", projectSubdomain).map(n -> n > 0);
    }

    /** On {@code conn}: moves the domain from {@code from} to {@code to} if it is still in {@code from}; true when moved. */
    Uni<Boolean> move(SqlConnection conn, String id, DomainStatus from, DomainStatus to, String failureReason) {
        return conn.preparedQuery("UPDATE domains SET status = $1, failure_reason = $2, updated_at = date_trunc('second', now()) WHERE id = $3 AND status = $4")
                .execute(Tuple.of(to.wire(), failureReason, id, from.wire()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** On {@code conn}: locks the domain's row until that transaction ends if it is active; true when it is. */
    Uni<Boolean> lockActive(SqlConnection conn, String id) {
        return conn.preparedQuery("SELECT 1 FROM domains WHERE id = $1 AND status = 'active' FOR UPDATE")
                .execute(Tuple.of(id)).map(rows -> rows.size() == 1);
    }

    /** What the zone needs of a domain. */
    record Delegated(String projectSubdomain, String verificationToken, DomainStatus status) {
    }

    /** The delegation of every domain whose project subdomain is among {@code projectSubdomains}. */
    Uni<List<Delegated>> delegations(String[] projectSubdomains) {
        return pool.preparedQuery("SELECT project_subdomain, verification_token, status FROM domains WHERE project_subdomain = ANY($1)")
                .execute(Tuple.of((Object) projectSubdomains))
                .map(rows -> {
                    List<Delegated> out = new ArrayList<>();
                    rows.forEach(r -> out.add(delegated(r)));
                    return out;
                });
    }

    /** Every domain's delegation, a page at a time. */
    Uni<Void> eachDelegation(Consumer<Delegated> each) {
        return KeysetScan.each(pool, "SELECT id, project_subdomain, verification_token, status FROM domains", "id",
                r -> each.accept(delegated(r)));
    }

    private static Delegated delegated(Row r) {
        return new Delegated(r.getString("project_subdomain"), r.getString("verification_token"),
                DomainStatus.fromWire(r.getString("status")));
    }
}
