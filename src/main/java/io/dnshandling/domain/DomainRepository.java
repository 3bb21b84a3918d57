package io.dnshandling.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one owner of the {@code domains} table. The domain's own units of work (register, read,
 * list, verify, delete) go through the {@link Domain} entity (Panache). A status move that must
 * commit with another table's rows (an order opened, a certificate stored) runs on that unit of
 * work's connection, and the zone's bulk read runs on the DNS server's context outside any
 * request: those are SQL, here and nowhere else.
 */
@ApplicationScoped
public class DomainRepository implements PanacheRepositoryBase<Domain, String> {

    private final Pool pool;

    DomainRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts {@code d} unless its name is taken; true when inserted. The database decides, so two
     * concurrent registrations of one name cannot both succeed and neither leaves a partial row.
     */
    Uni<Boolean> insertIfNameFree(Domain d) {
        return getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO domains (id, domain_name, verification_token, project_subdomain,
                                             status, created_at, updated_at)
                        VALUES (:id, :name, :token, :sub, :status, :created, :updated)
                        ON CONFLICT (domain_name) DO NOTHING""")
                .setParameter("id", d.id)
                .setParameter("name", d.domainName)
                .setParameter("token", d.verificationToken)
                .setParameter("sub", d.projectSubdomain)
                .setParameter("status", d.status.wire())
                .setParameter("created", d.createdAt)
                .setParameter("updated", d.updatedAt)
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /**
     * One page of domains in creation order, after the position {@code (createdAt, id)} when given;
     * fetches one more than {@code limit} so the caller knows whether a next page exists.
     */
    Uni<List<Domain>> page(DomainStatus status, Instant afterCreated, String afterId, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (status != null) {
            where.append(" and status = :status");
            params.and("status", status);
        }
        if (afterCreated != null) {
            where.append(" and (createdAt > :created or (createdAt = :created and id > :id))");
            params.and("created", afterCreated).and("id", afterId);
        }
        return find(where + " order by createdAt, id", params).page(0, limit + 1).list();
    }

    /**
     * Moves the domain to {@code VERIFIED} only if it is still in {@code from}: of two concurrent
     * callers exactly one sees true.
     */
    Uni<Boolean> markVerified(String id, DomainStatus from, Instant now) {
        return update("status = ?1, verifiedAt = ?2, updatedAt = ?2, failureReason = null where id = ?3 and status = ?4",
                DomainStatus.VERIFIED, now, id, from)
                .map(rows -> rows == 1);
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

    /** The delegation of every domain whose project subdomain is among {@code projectSubdomains} (all when null). */
    Uni<List<Delegated>> delegations(String[] projectSubdomains) {
        return pool.preparedQuery("""
                        SELECT project_subdomain, verification_token, status FROM domains
                         WHERE $1::text[] IS NULL OR project_subdomain = ANY($1)""")
                .execute(Tuple.of((Object) projectSubdomains))
                .map(rows -> {
                    List<Delegated> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Delegated(r.getString("project_subdomain"), r.getString("verification_token"),
                            DomainStatus.fromWire(r.getString("status")))));
                    return out;
                });
    }
}
