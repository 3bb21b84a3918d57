-- A list filtered by a certificate state together with a status, at a million domains: every
-- state but none needs a certificate, and none needs its absence, so whether a domain has ever
-- had one is kept on the domain and indexed with the status and the creation order. A status
-- with no domain in the asked state is then an empty index range: status=active with
-- certificate_state=none took 2.7 s (every active domain judged), and status=verified with
-- certificate_state=valid 2.1 s.
--
-- Kept by a trigger on certificates: the first certificate of a domain sets it, and deleting
-- a domain's last certificate clears it. certificate_state_of() (V24) still decides the state.
ALTER TABLE domains ADD COLUMN has_certificate boolean NOT NULL DEFAULT false;

-- The existing domains' flags, with the domain's own triggers off: they react to a status, a
-- name or a deletion, none of which this changes (33 s for 500,000 domains with a certificate).
ALTER TABLE domains DISABLE TRIGGER USER;
UPDATE domains d SET has_certificate = true WHERE EXISTS (SELECT 1 FROM certificates c WHERE c.domain_id = d.id);
ALTER TABLE domains ENABLE TRIGGER USER;

CREATE INDEX domains_certificate_created_idx ON domains (has_certificate, created_at, id);
CREATE INDEX domains_status_certificate_created_idx ON domains (status, has_certificate, created_at, id);
-- The two columns go together (a domain is active once it has a certificate): with the
-- combinations' own counts, PostgreSQL knows that no active domain lacks one, and reads that
-- empty range instead of walking every domain in creation order (140 ms for active, none and d4).
CREATE STATISTICS domains_status_certificate (mcv) ON status, has_certificate FROM domains;

CREATE FUNCTION domain_certificate_presence() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE domains SET has_certificate = true WHERE id = NEW.domain_id AND NOT has_certificate;
    ELSE
        UPDATE domains SET has_certificate = false
         WHERE id = OLD.domain_id AND has_certificate
           AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.domain_id = OLD.domain_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_presence
    AFTER INSERT OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION domain_certificate_presence();
