-- A list of expired or expiring certificates beside a part of a name, at a million domains: the
-- part's matches are read from the trigram index, and each was then looked up in the expiry
-- counts by primary key to see whether its certificate could be in the state (5,556 lookups for
-- name=d42, 17-40 ms). The current certificate's expiry is now kept on the domain itself, so the
-- same read of the matches' rows decides it.
--
-- Kept by the trigger that keeps has_certificate (V33): a domain's newest certificate (by
-- issued_at, as every read takes it) gives it, and none leaves it empty. certificate_state_of()
-- (V24) still decides the state; this only narrows the rows it judges.
--
-- The domains that already have a certificate get theirs from domain.CertificateExpiryFill, in
-- batches after the service starts, not here: filling 500,000 in this migration's transaction took
-- 87 s, all that time holding the lock that adding the column takes, which stops every read of
-- domains by the replicas still running. Until a domain's is filled, a read takes it as unknown.
ALTER TABLE domains ADD COLUMN certificate_expires_at timestamptz;

-- What is left to fill; empty once filled, and a certificate's trigger never adds to it.
CREATE INDEX domains_certificate_expiry_unfilled_idx ON domains (id) WHERE has_certificate AND certificate_expires_at IS NULL;

-- Both columns from the domain's certificates as they are after the change; written only when
-- either differs, so a domain's row changes once per certificate it gets or loses.
CREATE OR REPLACE FUNCTION domain_certificate_presence() RETURNS trigger AS $$
DECLARE
    domain char(32) := CASE WHEN TG_OP = 'DELETE' THEN OLD.domain_id ELSE NEW.domain_id END;
    present boolean;
    expires timestamptz;
BEGIN
    SELECT true, c.not_after INTO present, expires
      FROM certificates c WHERE c.domain_id = domain ORDER BY c.issued_at DESC, c.id DESC LIMIT 1;
    present := coalesce(present, false);
    UPDATE domains SET has_certificate = present, certificate_expires_at = expires
     WHERE id = domain AND (has_certificate <> present OR certificate_expires_at IS DISTINCT FROM expires);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The service never changes a stored certificate's validity or issue time; anything that does
-- still moves the domain's copy with it.
CREATE OR REPLACE TRIGGER certificates_presence
    AFTER INSERT OR DELETE OR UPDATE OF issued_at, not_after ON certificates
    FOR EACH ROW EXECUTE FUNCTION domain_certificate_presence();
