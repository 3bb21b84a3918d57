-- A registration proves nothing until it is verified, so it must not hold the name: several
-- pending claims may exist for one name, the first to verify takes it, and only a verified (or
-- later) domain makes a new registration a conflict. Pending claims expire (PENDING_TTL).
ALTER TABLE domains DROP CONSTRAINT domains_domain_name_key;

-- At most one domain per name past verification; a pending claim never blocks the owner.
CREATE UNIQUE INDEX domains_owned_name ON domains (domain_name) WHERE status <> 'pending';
CREATE INDEX domains_name_idx ON domains (domain_name);

-- When an unverified claim lapses; set at registration from PENDING_TTL. Claims made before this
-- migration get the default seven days from their creation.
ALTER TABLE domains ADD COLUMN claim_expires_at TIMESTAMPTZ;
UPDATE domains SET claim_expires_at = created_at + interval '7 days' WHERE status = 'pending';
CREATE INDEX domains_claim_expiry_idx ON domains (claim_expires_at) WHERE status = 'pending';
