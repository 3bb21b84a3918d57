package io.dnshandling.domain;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A domain as the reads that bypass the ORM select it: the columns, and the entity made from a row. */
final class DomainRows {

    /** The columns of {@code domains d} that the API shows, and the certificate's state (migration V21). */
    static final String COLUMNS = """
            d.id, d.domain_name, d.status, d.verified_at, d.claim_expires_at, d.created_at, d.updated_at, d.failure_reason,
            d.verification_token, d.project_subdomain, certificate_state(d.id, now()) AS certificate_state""";

    private DomainRows() {
    }

    static Domain domain(Row r) {
        Domain d = new Domain();
        d.id = r.getString("id");
        d.domainName = r.getString("domain_name");
        d.status = DomainStatus.fromWire(r.getString("status"));
        d.verifiedAt = instant(r.getOffsetDateTime("verified_at"));
        d.claimExpiresAt = instant(r.getOffsetDateTime("claim_expires_at"));
        d.createdAt = instant(r.getOffsetDateTime("created_at"));
        d.updatedAt = instant(r.getOffsetDateTime("updated_at"));
        d.failureReason = r.getString("failure_reason");
        d.verificationToken = r.getString("verification_token");
        d.projectSubdomain = r.getString("project_subdomain");
        return d;
    }

    static CertificateState certificateState(Row r) {
        return CertificateState.fromWire(r.getString("certificate_state"));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
