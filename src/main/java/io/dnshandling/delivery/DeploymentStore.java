package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The one owner of {@code certificate_deployments} (what each target holds of each domain, as the
 * last pass left it) and {@code delivery_leases} (which replica works a target now). Only
 * differences are written, so a pass over an unchanged fleet writes nothing.
 */
@ApplicationScoped
public class DeploymentStore {

    private static final Logger LOG = Logger.getLogger(DeploymentStore.class);

    private final Pool pool;

    DeploymentStore(Pool pool) {
        this.pool = pool;
    }

    /** One target's copy of one domain's certificate. */
    public record Deployment(String target, String state, String serial, OffsetDateTime syncedAt, String lastError) {
    }

    /** Takes (or keeps) the lease on {@code target} for {@code holder}; false while another replica holds it. */
    Uni<Boolean> lease(String target, String holder, Duration length) {
        return pool.preparedQuery("""
                        INSERT INTO delivery_leases (target, holder, lease_until) VALUES ($1, $2, now() + make_interval(secs => $3))
                        ON CONFLICT (target) DO UPDATE SET holder = $2, lease_until = now() + make_interval(secs => $3)
                         WHERE delivery_leases.lease_until < now() OR delivery_leases.holder = $2
                        RETURNING target""")
                .execute(Tuple.of(target, holder, (double) length.toSeconds()))
                .map(rows -> rows.size() == 1);
    }

    /** Ends every lease {@code holder} has: a stopping replica hands its targets over. */
    Uni<Void> releaseAll(String holder) {
        return pool.preparedQuery("UPDATE delivery_leases SET lease_until = now() WHERE holder = $1 AND lease_until > now()")
                .execute(Tuple.of(holder)).replaceWithVoid();
    }

    Uni<Void> release(String target, String holder) {
        return pool.preparedQuery("UPDATE delivery_leases SET lease_until = now() WHERE target = $1 AND holder = $2")
                .execute(Tuple.of(target, holder)).replaceWithVoid();
    }

    /**
     * Records the outcome of a pass over {@code target}: synced, or failed with the reason given in
     * {@code errors} (by domain id), for every domain in {@code desired}; the rows of domains no
     * longer desired go.
     */
    Uni<Void> record(String target, List<Deliverable> desired, Map<String, String> errors) {
        return pool.preparedQuery("SELECT domain_id, state, serial, last_error FROM certificate_deployments WHERE target = $1")
                .execute(Tuple.of(target))
                .chain(rows -> {
                    Map<String, Row> known = new HashMap<>();
                    rows.forEach(r -> known.put(r.getString("domain_id"), r));
                    List<Tuple> changes = new ArrayList<>();
                    for (Deliverable d : desired) {
                        String error = errors.get(d.domainId());
                        String state = error == null ? "synced" : "failed";
                        Row was = known.remove(d.domainId());
                        if (was == null || !state.equals(was.getString("state")) || !d.serial().equals(was.getString("serial"))
                                || !Objects.equals(error, was.getString("last_error"))) {
                            changes.add(Tuple.of(d.domainId(), target, state, d.serial(), error));
                            if (error != null) {
                                LOG.warnf("%s: could not deliver the certificate of %s: %s", target, d.domainName(), error);
                            }
                        }
                    }
                    Uni<Void> upserts = changes.isEmpty() ? Uni.createFrom().voidItem() : pool.preparedQuery("""
                                    INSERT INTO certificate_deployments (domain_id, target, state, serial, synced_at, last_error, updated_at)
                                    SELECT $1, $2, $3, $4, CASE WHEN $3 = 'synced' THEN now() END, $5, now()
                                     WHERE EXISTS (SELECT 1 FROM domains WHERE id = $1) -- a domain deleted during the pass is left out
                                    ON CONFLICT (domain_id, target) DO UPDATE SET state = $3, serial = $4, last_error = $5, updated_at = now(),
                                           synced_at = CASE WHEN $3 = 'synced' THEN now() ELSE certificate_deployments.synced_at END""")
                            .executeBatch(changes).replaceWithVoid();
                    String[] gone = known.keySet().toArray(String[]::new);
                    return upserts.chain(() -> gone.length == 0 ? Uni.createFrom().voidItem()
                            : pool.preparedQuery("DELETE FROM certificate_deployments WHERE target = $1 AND domain_id = ANY($2)")
                                    .execute(Tuple.of(target, gone)).replaceWithVoid());
                });
    }

    /** A pass that could not reach {@code target}: every desired domain is marked failed with {@code error}. */
    Uni<Void> unreachable(String target, List<Deliverable> desired, String error) {
        Map<String, String> errors = new HashMap<>();
        desired.forEach(d -> errors.put(d.domainId(), error));
        return record(target, desired, errors);
    }

    /** What each target holds of {@code domainId}. */
    public Uni<List<Deployment>> of(String domainId) {
        return pool.preparedQuery("SELECT target, state, serial, synced_at, last_error FROM certificate_deployments WHERE domain_id = $1 ORDER BY target")
                .execute(Tuple.of(domainId))
                .map(rows -> {
                    List<Deployment> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Deployment(r.getString("target"), r.getString("state"), r.getString("serial"),
                            r.getOffsetDateTime("synced_at"), r.getString("last_error"))));
                    return out;
                });
    }

    /** Rows by target and state, for {@code certificate_deployments{target,state}}. */
    Uni<Map<String, Map<String, Long>>> countByTargetAndState() {
        return pool.query("SELECT target, state, count(*) AS n FROM certificate_deployments GROUP BY target, state").execute()
                .map(rows -> {
                    Map<String, Map<String, Long>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString("target"), k -> new HashMap<>()).put(r.getString("state"), r.getLong("n")));
                    return out;
                });
    }
}
