package io.dnshandling.certificate;

import io.dnshandling.domain.Domain;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.http.ApiException;
import io.dnshandling.issuance.Revocations;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.shredzone.acme4j.RevocationReason;

/** The current certificate of a domain: its metadata, its public chain, and its revocation. */
@ApplicationScoped
public class CertificateService {

    private final DomainService domains;
    private final Pool pool;
    private final Revocations revocations;

    CertificateService(DomainService domains, Pool pool, Revocations revocations) {
        this.domains = domains;
        this.pool = pool;
        this.revocations = revocations;
    }

    /** A stored certificate as read back; never carries the private key. */
    public record Stored(String id, String domainId, String chainPem, OffsetDateTime issuedAt, OffsetDateTime notAfter,
            OffsetDateTime createdAt, OffsetDateTime revokedAt, String revocationReason, OffsetDateTime renewAt, String renewalError) {
    }

    /** The newest certificate of an active domain; the three 404s of the contract otherwise. */
    public Uni<Stored> current(String domainId) {
        return domains.find(domainId).chain(domain -> {
            if (domain.status != DomainStatus.ACTIVE) {
                return Uni.createFrom().failure(ApiException.notFound("domain is " + domain.status.wire()
                        + "; a certificate is reported once the domain is active"));
            }
            return newest(domain.id).onItem().ifNull().failWith(() -> ApiException.notFound("no certificate is stored for this domain"));
        });
    }

    /** The newest certificate of {@code domainId}, whatever the domain's status; null when none. */
    public Uni<Stored> newest(String domainId) {
        return pool.preparedQuery("""
                        SELECT id, domain_id, chain_pem, issued_at, not_after, created_at, revoked_at, revocation_reason, renew_at,
                               renewal_error
                          FROM certificates WHERE domain_id = $1 ORDER BY issued_at DESC LIMIT 1""")
                .execute(Tuple.of(domainId))
                .map(rows -> rows.iterator().hasNext() ? stored(rows.iterator().next()) : null);
    }

    /** Revokes the current certificate at the CA and records it. */
    public Uni<Stored> revoke(String domainId, String reasonName) {
        RevocationReason reason = Revocations.reason(reasonName);
        return current(domainId).chain(cert -> {
            if (cert.revokedAt() != null) {
                return Uni.createFrom().failure(ApiException.badRequest("the current certificate was already revoked at " + cert.revokedAt()));
            }
            return revocations.revoke(cert.chainPem(), reason)
                    .chain(() -> pool.preparedQuery("""
                                    UPDATE certificates SET revoked_at = now(), revocation_reason = $1, renew_at = NULL
                                     WHERE id = $2 RETURNING revoked_at""")
                            .execute(Tuple.of(Revocations.wire(reason), cert.id())))
                    .map(rows -> new Stored(cert.id(), cert.domainId(), cert.chainPem(), cert.issuedAt(), cert.notAfter(),
                            cert.createdAt(), rows.iterator().next().getOffsetDateTime("revoked_at"), Revocations.wire(reason), null, null));
        });
    }

    /** Revokes the newest unrevoked certificate of {@code domain}, if there is one (used when deleting with ?revoke=true). */
    public Uni<Boolean> revokeIfAny(Domain domain) {
        return newest(domain.id).chain(cert -> cert == null || cert.revokedAt() != null
                ? Uni.createFrom().item(false)
                : revocations.revoke(cert.chainPem(), RevocationReason.CESSATION_OF_OPERATION).replaceWith(true));
    }

    private static Stored stored(Row r) {
        return new Stored(r.getString("id"), r.getString("domain_id"), r.getString("chain_pem"), r.getOffsetDateTime("issued_at"),
                r.getOffsetDateTime("not_after"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("revoked_at"),
                r.getString("revocation_reason"), r.getOffsetDateTime("renew_at"), r.getString("renewal_error"));
    }
}
