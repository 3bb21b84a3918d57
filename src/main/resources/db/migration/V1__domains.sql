-- Customer domains and their ownership-verification state.
-- Status changes are conditional updates (... WHERE id = ? AND status = ?),
-- so the CHECK below and the service's transition table agree on the states.
CREATE TABLE domains (
    id                 CHAR(32)     PRIMARY KEY,
    domain_name        VARCHAR(253) NOT NULL,
    verification_token VARCHAR(64)  NOT NULL,
    project_subdomain  VARCHAR(63)  NOT NULL,
    status             VARCHAR(32)  NOT NULL,
    failure_reason     TEXT,
    verified_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    CONSTRAINT domains_domain_name_key UNIQUE (domain_name),
    CONSTRAINT domains_project_subdomain_key UNIQUE (project_subdomain),
    CONSTRAINT domains_status_check CHECK (status IN
        ('pending', 'verified', 'certificate_pending', 'active', 'failed'))
);

CREATE INDEX domains_status_idx ON domains (status);
