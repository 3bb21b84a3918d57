-- ACME issuance: accounts, orders (the reconciler's work items), challenges, certificates.

-- One account per ACME directory; its key is created on first use and reused.
CREATE TABLE acme_accounts (
    directory_url VARCHAR(500) PRIMARY KEY,
    account_url   VARCHAR(500) NOT NULL,
    key_pem       TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);

-- An order says where it is; the reconciler takes what is due (next_attempt_at), does one step,
-- and writes the outcome. claim_token marks the claim of the instance working on it, so a
-- writer whose lease has run out cannot overwrite a newer claim.
CREATE TABLE acme_orders (
    id              CHAR(32)     PRIMARY KEY,
    domain_id       CHAR(32)     NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    directory_url   VARCHAR(500) NOT NULL,
    order_url       VARCHAR(500) NOT NULL,
    state           VARCHAR(20)  NOT NULL CHECK (state IN
        ('awaiting_dns', 'validating', 'finalizing', 'downloading', 'valid', 'failed', 'cancelled')),
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    last_error      TEXT,
    txt_deadline    TIMESTAMPTZ  NOT NULL,
    deadline        TIMESTAMPTZ  NOT NULL,
    claim_token     CHAR(32),
    certificate_key_pem TEXT,
    finalized_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);

-- At most one open order per domain; the work queue is read by due time.
CREATE UNIQUE INDEX acme_orders_one_open_per_domain ON acme_orders (domain_id)
    WHERE state IN ('awaiting_dns', 'validating', 'finalizing', 'downloading');
CREATE INDEX acme_orders_due_idx ON acme_orders (next_attempt_at)
    WHERE state IN ('awaiting_dns', 'validating', 'finalizing', 'downloading');

CREATE TABLE acme_challenges (
    id                CHAR(32)     PRIMARY KEY,
    order_id          CHAR(32)     NOT NULL REFERENCES acme_orders (id) ON DELETE CASCADE,
    authorization_url VARCHAR(500) NOT NULL,
    challenge_url     VARCHAR(500),
    record_name       VARCHAR(300) NOT NULL,
    txt_value         VARCHAR(100),
    state             VARCHAR(20)  NOT NULL CHECK (state IN ('pending', 'triggered', 'valid', 'invalid')),
    created_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX acme_challenges_order_idx ON acme_challenges (order_id);

CREATE TABLE certificates (
    id              CHAR(32)     PRIMARY KEY,
    domain_id       CHAR(32)     NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    order_id        CHAR(32)     NOT NULL UNIQUE REFERENCES acme_orders (id) ON DELETE CASCADE,
    chain_pem       TEXT         NOT NULL,
    private_key_pem TEXT         NOT NULL,
    serial          VARCHAR(100) NOT NULL,
    issuer          TEXT         NOT NULL,
    not_before      TIMESTAMPTZ  NOT NULL,
    not_after       TIMESTAMPTZ  NOT NULL,
    issued_at       TIMESTAMPTZ  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX certificates_domain_idx ON certificates (domain_id, issued_at DESC);

-- The DNS server publishes open dns-01 values under the domain's project subdomain: an order
-- opening, changing state or closing changes what it answers.
CREATE FUNCTION dns_zone_notify_order() RETURNS trigger AS $$
DECLARE
    sub TEXT;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state IS NOT DISTINCT FROM NEW.state THEN
        RETURN NULL;
    END IF;
    SELECT project_subdomain INTO sub FROM domains
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.domain_id ELSE NEW.domain_id END;
    IF sub IS NOT NULL THEN
        PERFORM pg_notify('dns_zone', 'd:' || sub);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER acme_orders_notify
    AFTER INSERT OR UPDATE OR DELETE ON acme_orders
    FOR EACH ROW EXECUTE FUNCTION dns_zone_notify_order();
