-- Revocation, renewal planning, and listing domains in a stable order.

ALTER TABLE certificates
    ADD COLUMN revoked_at        TIMESTAMPTZ,
    ADD COLUMN revocation_reason VARCHAR(40),
    -- When the renewal of this certificate is due (ARI window or lifetime ratio, with jitter).
    ADD COLUMN renew_at          TIMESTAMPTZ,
    ADD COLUMN renewal_attempts  INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN renewal_error     TEXT;

CREATE INDEX certificates_renew_idx ON certificates (renew_at) WHERE revoked_at IS NULL;

-- Why an order exists: a first certificate, an early re-issue on request, or a renewal.
ALTER TABLE acme_orders
    ADD COLUMN purpose VARCHAR(10) NOT NULL DEFAULT 'issue' CHECK (purpose IN ('issue', 'reissue', 'renewal')),
    ADD COLUMN replaces_certificate_id CHAR(32);

-- Keyset paging for GET /domains: (created_at, id) is unique and never changes.
CREATE INDEX domains_created_id_idx ON domains (created_at, id);
