package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.core.RandomIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one owner of {@code acme_challenges}: each order's dns-01 challenges and the values they publish. */
@ApplicationScoped
public class ChallengeStore {

    private final Pool pool;

    ChallengeStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * The dns-01 values published for the domains with these project subdomains (all when null), by
     * subdomain. Asked on every change of the zone, so each form is one statement whose plan
     * PostgreSQL keeps: the states are written into it, and the whole zone's form is a statement of
     * its own. With the states as a parameter and one statement for both forms ({@code $2 IS NULL OR
     * …}), it was planned anew on 12,715 of 12,960 runs, 0.63 ms each, against 0.15 ms to run it.
     */
    Uni<List<Map.Entry<String, String>>> published(String[] projectSubdomains) {
        return (projectSubdomains == null ? pool.preparedQuery(PUBLISHED).execute()
                : pool.preparedQuery(PUBLISHED_AT).execute(Tuple.of((Object) projectSubdomains)))
                .map(rows -> {
                    List<Map.Entry<String, String>> out = new ArrayList<>();
                    rows.forEach(r -> out.add(Map.entry(r.getString("project_subdomain"), r.getString("txt_value"))));
                    return out;
                });
    }

    /** A challenge's value is published while its order is in one of these states. */
    private static final String IS_PUBLISHED = "o.state IN (" + OrderState.sqlList(OrderState.PUBLISHING) + ") AND c.txt_value IS NOT NULL";
    private static final String PUBLISHED = "SELECT d.project_subdomain, c.txt_value FROM acme_challenges c JOIN acme_orders o ON o.id = c.order_id"
            + " JOIN domains d ON d.id = o.domain_id WHERE " + IS_PUBLISHED;
    /** The subdomains as a set to join, not {@code = ANY($1)}: PostgreSQL kept planning that form anew for each array. */
    private static final String PUBLISHED_AT = "SELECT d.project_subdomain, c.txt_value FROM unnest($1::text[]) s(sub)"
            + " JOIN domains d ON d.project_subdomain = s.sub JOIN acme_orders o ON o.domain_id = d.id JOIN acme_challenges c ON c.order_id = o.id"
            + " WHERE " + IS_PUBLISHED;

    /** The challenges of {@code orderId}. */
    Uni<List<Challenge>> of(String orderId) {
        return pool.preparedQuery("SELECT id, authorization_url, challenge_url, record_name, txt_value, state FROM acme_challenges WHERE order_id = $1 ORDER BY id")
                .execute(Tuple.of(orderId))
                .map(rows -> {
                    List<Challenge> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Challenge(r.getString("id"), r.getString("authorization_url"), r.getString("challenge_url"),
                                r.getString("record_name"), r.getString("txt_value"), r.getString("state")));
                    }
                    return out;
                });
    }

    /** The challenges the CA opened with an order, inside the caller's transaction. */
    Uni<Void> insert(SqlConnection conn, String orderId, OpenedOrder opened) {
        if (opened.challenges().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = opened.challenges().stream().map(c -> Tuple.from(List.of(RandomIds.id(), orderId, c.authorizationUrl(),
                c.challengeUrl(), c.recordName(), c.txtValue()))).toList();
        return conn.preparedQuery("""
                        INSERT INTO acme_challenges (id, order_id, authorization_url, challenge_url, record_name, txt_value, state, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, 'pending', now())""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** The authorizations of {@code domainId}'s open order that the CA may still be holding open. */
    Uni<Map<String, List<String>>> openAuthorizations(String domainId) {
        return pool.preparedQuery("""
                        SELECT DISTINCT o.directory_url, c.authorization_url FROM acme_challenges c JOIN acme_orders o ON o.id = c.order_id
                         WHERE o.domain_id = $1 AND o.state = ANY($2) AND c.state IN ('pending', 'triggered')""")
                .execute(Tuple.of(domainId, OrderState.wire(OrderState.OPEN)))
                .map(rows -> {
                    Map<String, List<String>> out = new LinkedHashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString("directory_url"), d -> new ArrayList<>()).add(r.getString("authorization_url")));
                    return out;
                });
    }

    /** The order's pending challenges were triggered at the CA. */
    Uni<Void> markTriggered(String orderId) {
        return pool.preparedQuery("UPDATE acme_challenges SET state = 'triggered' WHERE order_id = $1 AND state = 'pending'")
                .execute(Tuple.of(orderId)).replaceWithVoid();
    }
}
