-- What needs attention in the fleet (GET /fleet), found through indexes rather than by reading
-- every certificate: failing renewals and revoked certificates are rare, so each has a partial
-- index. A failing renewal also says since when it fails; renewals that were failing before this
-- migration do not know, and show no time.
ALTER TABLE certificates ADD COLUMN renewal_failing_since TIMESTAMPTZ;
CREATE INDEX certificates_renewal_failing_idx ON certificates (domain_id) WHERE renewal_error IS NOT NULL AND revoked_at IS NULL;
CREATE INDEX certificates_revoked_idx ON certificates (domain_id) WHERE revoked_at IS NOT NULL;
