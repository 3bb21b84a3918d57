package io.dnshandling.diagnosis;

import static io.dnshandling.core.RowValues.instant;

import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainRows;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.issuance.OrderState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What the database knows of one domain for its diagnosis, read in one statement: the domain, its
 * current certificate and its state, its latest order with the values that order publishes, and its verified
 * additional names. A read model over tables other capabilities own; it writes nothing.
 */
@ApplicationScoped
public class DiagnosisFacts {

    /** The current certificate, as far as the diagnosis needs it. */
    public record Certificate(CertificateState state, String serial, String directory, List<String> names, Instant notAfter, Instant renewAt,
            String renewalError, int renewalAttempts, Instant revokedAt, String revocationReason) {
    }

    /** The domain's latest order, open or not. */
    public record Order(String state, String purpose, int attempts, String lastError, Instant nextAttemptAt, Instant createdAt,
            List<String> values) {

        public boolean open() {
            return OrderState.OPEN.contains(OrderState.fromWire(state));
        }

        /** Whether its challenge values are published for the CA to see. */
        public boolean publishing() {
            return OrderState.PUBLISHING.contains(OrderState.fromWire(state));
        }
    }

    /** Everything stored about the domain that the checks read. */
    public record Facts(String id, String name, DomainStatus status, String failureReason, String token, String projectSubdomain,
            Instant claimExpiresAt, CertificateState certificateState, Certificate certificate, Order order, List<CoveredName> names) {

        /** The names besides the domain that its certificate covers, or will once verified. */
        public List<String> verifiedNames() {
            return names.stream().filter(CoveredName::verified).map(CoveredName::name).toList();
        }
    }

    /** A name the domain's certificate covers besides the domain itself, and whether it is verified. */
    public record CoveredName(String name, boolean verified) {
    }

    private final PreparedQuery<RowSet<Row>> query;

    DiagnosisFacts(Pool pool) {
        this.query = pool.preparedQuery("""
                SELECT d.id, d.domain_name, d.status, d.failure_reason, d.verification_token, d.project_subdomain, d.claim_expires_at,
                       %s,
                       cur.id AS certificate_id, cur.serial, cur.acme_directory, cur.names AS certificate_names, cur.not_after, cur.renew_at,
                       cur.renewal_error, cur.renewal_attempts, cur.revoked_at, cur.revocation_reason,
                       o.id AS order_id, o.state AS order_state, o.purpose, o.attempts, o.last_error, o.next_attempt_at,
                       o.created_at AS order_created_at,
                       ARRAY(SELECT ch.txt_value FROM acme_challenges ch WHERE ch.order_id = o.id AND ch.txt_value IS NOT NULL
                              ORDER BY ch.id) AS order_values,
                       ARRAY(SELECT n.name FROM domain_names n WHERE n.domain_id = d.id ORDER BY n.name) AS names,
                       ARRAY(SELECT n.name FROM domain_names n WHERE n.domain_id = d.id AND n.status = 'verified' ORDER BY n.name)
                           AS verified_names
                  FROM domains d
                  %s
                  LEFT JOIN LATERAL (SELECT * FROM acme_orders o WHERE o.domain_id = d.id
                                      ORDER BY o.created_at DESC, o.id DESC LIMIT 1) o ON true
                 WHERE d.id = $1""".formatted(DomainRows.CERTIFICATE_STATE, DomainRows.CURRENT_CERTIFICATE));
    }

    /** The facts of domain {@code id}; a 404 for unknown ids and anything that is not an id. */
    public Uni<Facts> of(String id) {
        if (!DomainService.isId(id)) {
            return Uni.createFrom().failure(DomainService.notFound());
        }
        return query.execute(Tuple.of(id)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw DomainService.notFound();
            }
            Row r = rows.iterator().next();
            CertificateState state = CertificateState.fromWire(r.getString("certificate_state"));
            Certificate certificate = r.getString("certificate_id") == null ? null
                    : new Certificate(state, r.getString("serial"), r.getString("acme_directory"), strings(r.getArrayOfStrings("certificate_names")),
                            instant(r, "not_after"), instant(r, "renew_at"), r.getString("renewal_error"), r.getInteger("renewal_attempts"),
                            instant(r, "revoked_at"), r.getString("revocation_reason"));
            Order order = r.getString("order_id") == null ? null
                    : new Order(r.getString("order_state"), r.getString("purpose"), r.getInteger("attempts"), r.getString("last_error"),
                            instant(r, "next_attempt_at"), instant(r, "order_created_at"),
                            strings(r.getArrayOfStrings("order_values")));
            return new Facts(r.getString("id"), r.getString("domain_name"), DomainStatus.fromWire(r.getString("status")),
                    r.getString("failure_reason"), r.getString("verification_token"), r.getString("project_subdomain"),
                    instant(r, "claim_expires_at"), state, certificate, order, names(r));
        });
    }

    private static List<CoveredName> names(Row r) {
        List<String> verified = strings(r.getArrayOfStrings("verified_names"));
        return strings(r.getArrayOfStrings("names")).stream().map(n -> new CoveredName(n, verified.contains(n))).toList();
    }

    private static List<String> strings(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
