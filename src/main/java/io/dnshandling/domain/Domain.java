package io.dnshandling.domain;

import io.dnshandling.core.RandomIds;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** A customer domain: its name, how ownership is proven, and where it is in its lifecycle. */
@Entity
@Table(name = "domains")
public class Domain extends PanacheEntityBase {

    /** Length of the random delegation label: 20 base32 characters, 100 bits. */
    static final int PROJECT_SUBDOMAIN_LENGTH = 20;

    @Id
    public String id;

    @Column(name = "domain_name", nullable = false, updatable = false)
    public String domainName;

    @Column(name = "verification_token", nullable = false, updatable = false)
    public String verificationToken;

    @Column(name = "project_subdomain", nullable = false, updatable = false)
    public String projectSubdomain;

    @Column(nullable = false)
    public DomainStatus status;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** When an unverified registration lapses; meaningful only while pending. */
    @Column(name = "claim_expires_at", updatable = false)
    public Instant claimExpiresAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** A new, pending domain with fresh random id, token and delegation label, lapsing after {@code ttl}. */
    static Domain register(DomainName name, Instant now, Duration ttl) {
        Domain d = new Domain();
        d.id = RandomIds.id();
        d.domainName = name.ascii();
        d.verificationToken = RandomIds.token();
        d.projectSubdomain = RandomIds.label(PROJECT_SUBDOMAIN_LENGTH);
        d.status = DomainStatus.PENDING;
        d.createdAt = now;
        d.updatedAt = now;
        d.claimExpiresAt = now.plus(ttl);
        return d;
    }

    /** Whether this is a pending claim whose time ran out (the sweep deletes it soon). */
    public boolean claimLapsed(Instant now) {
        return status == DomainStatus.PENDING && claimExpiresAt != null && !now.isBefore(claimExpiresAt);
    }

    public DomainName name() {
        return new DomainName(domainName);
    }
}
