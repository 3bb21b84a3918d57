package io.dnshandling.certificate;

import io.dnshandling.acme.CaException;
import io.dnshandling.acme.Issuers;
import io.dnshandling.core.InvalidRequestException;
import io.dnshandling.core.NotFoundException;
import io.dnshandling.domain.DomainService;
import io.dnshandling.domain.DomainStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.shredzone.acme4j.RevocationReason;

/** The current certificate of a domain: its metadata, its public chain, and its revocation. */
@ApplicationScoped
public class CertificateService {

    private final DomainService domains;
    private final CertificateStore store;
    private final Issuers issuers;

    CertificateService(DomainService domains, CertificateStore store, Issuers issuers) {
        this.domains = domains;
        this.store = store;
        this.issuers = issuers;
    }

    /** The current certificate of an active domain; not found, each with its own reason, otherwise. */
    public Uni<StoredCertificate> current(String domainId) {
        return domains.find(domainId).chain(domain -> {
            if (domain.status != DomainStatus.ACTIVE) {
                return Uni.createFrom().failure(new NotFoundException("domain is " + domain.status.wire()
                        + "; a certificate is reported once the domain is active"));
            }
            return store.current(domain.id).onItem().ifNull().failWith(() -> new NotFoundException("no certificate is stored for this domain"));
        });
    }

    /** Why renewing the domain's current certificate keeps failing; null when it is not (or there is none). */
    public Uni<String> failingRenewal(String domainId) {
        return store.current(domainId).map(c -> c == null ? null : c.failingRenewal());
    }

    /** The name of the CA at {@code directory}. */
    public String issuerName(String directory) {
        return issuers.of(directory).name();
    }

    /** Revokes the current certificate at the CA, then records it. */
    public Uni<StoredCertificate> revoke(String domainId, String reasonName) {
        RevocationReason reason = RevocationReasons.parse(reasonName);
        return current(domainId).chain(cert -> {
            if (cert.revokedAt != null) {
                return Uni.createFrom().failure(new InvalidRequestException("the current certificate was already revoked at " + cert.revokedAt));
            }
            return revokeAtCa(cert, reason).chain(() -> store.markRevoked(cert.id, RevocationReasons.wire(reason)));
        });
    }

    /** Revokes the current certificate of {@code domainId} at the CA unless it is revoked already (deleting with ?revoke=true). */
    public Uni<Boolean> revokeIfAny(String domainId) {
        return store.current(domainId).chain(cert -> cert == null || cert.revokedAt != null
                ? Uni.createFrom().item(false)
                : revokeAtCa(cert, RevocationReason.CESSATION_OF_OPERATION).replaceWith(true));
    }

    /** At the CA that issued it. */
    private Uni<Void> revokeAtCa(StoredCertificate cert, RevocationReason reason) {
        return issuers.of(cert.acmeDirectory).revoke(cert.chainPem, reason).onFailure().transform(e -> CaException.of("the revocation", e));
    }
}
