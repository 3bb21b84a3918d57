package io.dnshandling.domain;

import static io.dnshandling.core.RowValues.instant;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A domain as the reads that bypass the ORM select it: the columns, the entity made from a row,
 * and its current certificate with that certificate's state, which the fleet's read joins the same way.
 */
public final class DomainRows {

    /** The columns of {@code domains d} that the API shows. */
    static final String COLUMNS = """
            d.id, d.domain_name, d.status, d.verified_at, d.claim_expires_at, d.created_at, d.updated_at, d.failure_reason,
            d.verification_token, d.project_subdomain""";

    /**
     * The certificate's state by the rule of migration V24, from the current certificate and the
     * open renewal joined as {@code cur} and {@code renewal} ({@link #CURRENT_CERTIFICATE}):
     * PostgreSQL inlines the rule, where calling {@code certificate_state()} would plan that
     * function again in every statement, and on every row a list judges.
     */
    public static final String CERTIFICATE_STATE_RULE = """
            certificate_state_of(cur.revoked_at, cur.not_before, cur.not_after, cur.renew_at, cur.renewal_error,
                renewal.open IS NOT NULL, now())""";

    /** {@link #CERTIFICATE_STATE_RULE} as the column {@code certificate_state}. */
    public static final String CERTIFICATE_STATE = CERTIFICATE_STATE_RULE + " AS certificate_state";

    /**
     * The domain's current certificate (its latest issued) as {@code cur}, selected as
     * certificate_state() (V24) selects it, and whether a renewal or re-issue order of the domain is
     * open, as {@code renewal}, through the partial index of open orders. Both are per-row
     * lookups, the same in the single read, the list, the fleet and the diagnosis.
     */
    public static final String CURRENT_CERTIFICATE = """
            LEFT JOIN LATERAL (SELECT c.id, c.serial, c.acme_directory, c.names, c.revoked_at, c.revocation_reason, c.not_before,
                                      c.not_after, c.renew_at, c.renewal_error, c.renewal_attempts, c.renewal_failing_since
                                 FROM certificates c WHERE c.domain_id = d.id ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) cur ON true
            LEFT JOIN LATERAL (SELECT true AS open FROM acme_orders o
                                WHERE o.domain_id = d.id AND o.purpose IN ('renewal', 'reissue')
                                  AND o.state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading') LIMIT 1) renewal ON true""";

    private DomainRows() {
    }

    static Domain domain(Row r) {
        Domain d = new Domain();
        d.id = r.getString("id");
        d.domainName = r.getString("domain_name");
        d.status = DomainStatus.fromWire(r.getString("status"));
        d.verifiedAt = instant(r, "verified_at");
        d.claimExpiresAt = instant(r, "claim_expires_at");
        d.createdAt = instant(r, "created_at");
        d.updatedAt = instant(r, "updated_at");
        d.failureReason = r.getString("failure_reason");
        d.verificationToken = r.getString("verification_token");
        d.projectSubdomain = r.getString("project_subdomain");
        return d;
    }

    static CertificateState certificateState(Row r) {
        return CertificateState.fromWire(r.getString("certificate_state"));
    }
}
