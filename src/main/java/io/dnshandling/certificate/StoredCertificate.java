package io.dnshandling.certificate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import java.util.List;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A certificate as stored for a domain. The newest one (by {@code issuedAt}) is the domain's
 * current certificate; the private key is stored encrypted and never leaves this package's
 * reads for the API.
 */
@Entity
@Table(name = "certificates")
public class StoredCertificate extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "domain_id", nullable = false, updatable = false)
    public String domainId;

    @Column(name = "order_id", nullable = false, updatable = false)
    public String orderId;

    @Column(name = "chain_pem", nullable = false, updatable = false)
    public String chainPem;

    @Column(name = "serial", nullable = false, updatable = false)
    public String serial;

    @Column(name = "not_after", nullable = false, updatable = false)
    public OffsetDateTime notAfter;

    @Column(name = "issued_at", nullable = false, updatable = false)
    public OffsetDateTime issuedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revocation_reason")
    public String revocationReason;

    @Column(name = "renew_at")
    public OffsetDateTime renewAt;

    @Column(name = "renewal_error")
    public String renewalError;

    /** The directory of the CA that issued it. */
    @Column(name = "acme_directory", updatable = false)
    public String acmeDirectory;

    /** Why the renewal of this, the current certificate, keeps failing; null when it is not. */
    public String failingRenewal() {
        return revokedAt != null || renewAt == null ? null : renewalError;
    }

    /** The DNS names its leaf covers (subjectAltName, in the leaf's order), stored with it. */
    @Column(name = "names", nullable = false, updatable = false)
    public String[] names;

    /** The DNS names the certificate covers, as stored from its leaf: a read does not parse the chain. */
    public List<String> names() {
        return List.of(names);
    }
}
