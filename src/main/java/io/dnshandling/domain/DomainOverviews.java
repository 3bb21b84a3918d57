package io.dnshandling.domain;

import io.dnshandling.core.RowValues;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /domains/{id}} shows, read in one statement: the domain, its certificate's state, why its current
 * certificate's renewal is failing, the order it has queued, and whether it has additional names
 * (read by a second statement only when it has). A read model over tables other capabilities
 * write; it writes nothing. The hot read of the API: no ORM session, one round trip.
 */
@ApplicationScoped
public class DomainOverviews {

    /** The domain as shown, with what other capabilities record about it. */
    public record Overview(Domain domain, CertificateState certificateState, String renewalError, Instant queuedUntil, String queuedReason,
            List<NameRows.Stored> names) {
    }

    /**
     * The one statement, {@code $1} the id. Public for bench/api, which runs it alone under pgbench to show
     * what the database's part of the request costs.
     */
    public static final String STATEMENT = """
            SELECT %s, %s,
                   CASE WHEN cur.revoked_at IS NULL AND cur.renew_at IS NOT NULL THEN cur.renewal_error END AS renewal_error,
                   q.next_attempt_at AS queued_until, q.last_error AS queued_reason,
                   EXISTS (SELECT 1 FROM domain_names x WHERE x.domain_id = d.id) AS has_names
              FROM domains d
              %s
              LEFT JOIN acme_orders q ON q.domain_id = d.id AND q.state = 'queued'
             WHERE d.id = $1""".formatted(DomainRows.COLUMNS, DomainRows.CERTIFICATE_STATE, DomainRows.CURRENT_CERTIFICATE);

    private final PreparedQuery<RowSet<Row>> query;
    private final NameRows nameRows;

    DomainOverviews(Pool pool, NameRows nameRows) {
        this.nameRows = nameRows;
        this.query = pool.preparedQuery(STATEMENT);
    }

    /** The overview of {@code id}; 404 for unknown ids and for anything that is not an id. */
    public Uni<Overview> of(String id) {
        if (!DomainService.isId(id)) {
            return Uni.createFrom().failure(DomainService.notFound());
        }
        return query.execute(Tuple.of(id)).chain(rows -> {
            if (!rows.iterator().hasNext()) {
                throw DomainService.notFound();
            }
            Row r = rows.iterator().next();
            Domain d = DomainRows.domain(r);
            Uni<List<NameRows.Stored>> names = r.getBoolean("has_names") ? nameRows.of(d.id) : Uni.createFrom().item(List.of());
            return names.map(all -> new Overview(d, DomainRows.certificateState(r), r.getString("renewal_error"),
                    RowValues.instant(r, "queued_until"), r.getString("queued_reason"), all));
        });
    }
}
