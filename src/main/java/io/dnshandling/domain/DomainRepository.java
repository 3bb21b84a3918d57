package io.dnshandling.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class DomainRepository implements PanacheRepositoryBase<Domain, String> {

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
    Uni<java.util.List<Domain>> page(DomainStatus status, Instant afterCreated, String afterId, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        io.quarkus.panache.common.Parameters params = new io.quarkus.panache.common.Parameters();
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
}
