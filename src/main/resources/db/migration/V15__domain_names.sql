-- Names a domain's certificate covers besides the domain itself: a wildcard (proven on its base
-- name) and names under the domain (each proven at its own _acme-challenge name).
CREATE TABLE domain_names (
    domain_id    CHAR(32)     NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL,
    status       VARCHAR(16)  NOT NULL CHECK (status IN ('pending', 'verified')),
    problem      TEXT,
    created_at   TIMESTAMPTZ  NOT NULL,
    verified_at  TIMESTAMPTZ,
    PRIMARY KEY (domain_id, name)
);
CREATE INDEX domain_names_name_idx ON domain_names (name);

-- The names each certificate covers (its DNS subjectAltNames), for serving it by SNI.
ALTER TABLE certificates ADD COLUMN names TEXT[];
UPDATE certificates c SET names = ARRAY[d.domain_name] FROM domains d WHERE d.id = c.domain_id;
ALTER TABLE certificates ALTER COLUMN names SET NOT NULL;
ALTER TABLE certificates ALTER COLUMN names SET DEFAULT '{}';
CREATE INDEX certificates_names_idx ON certificates USING gin (names);

-- What a domain's certificate should cover now: the domain and its verified names, sorted.
CREATE FUNCTION domain_wanted_names(domain CHAR(32)) RETURNS TEXT[] AS $$
    SELECT ARRAY(SELECT d.domain_name FROM domains d WHERE d.id = domain
                 UNION SELECT n.name FROM domain_names n WHERE n.domain_id = domain AND n.status = 'verified'
                 ORDER BY 1);
$$ LANGUAGE sql STABLE;

-- A certificate that does not cover what its domain wants (a name was verified or removed while
-- it was being ordered) is due for renewal at once; so is the current certificate when a verified
-- name comes or goes. The renewal reconciler then orders one for the names wanted at that time.
CREATE FUNCTION certificates_names_due() RETURNS trigger AS $$
BEGIN
    UPDATE certificates c SET renew_at = now()
     WHERE c.id = NEW.id AND c.revoked_at IS NULL
       AND NOT (c.names @> domain_wanted_names(c.domain_id) AND c.names <@ domain_wanted_names(c.domain_id));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_names_due
    AFTER INSERT ON certificates
    FOR EACH ROW EXECUTE FUNCTION certificates_names_due();

CREATE FUNCTION domain_names_changed() RETURNS trigger AS $$
DECLARE
    changed domain_names;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF (TG_OP = 'DELETE' AND OLD.status = 'verified')
       OR (TG_OP <> 'DELETE' AND NEW.status = 'verified' AND (TG_OP = 'INSERT' OR OLD.status <> 'verified')) THEN
        UPDATE certificates c SET renew_at = now()
         WHERE c.domain_id = changed.domain_id AND c.renew_at IS NOT NULL AND c.revoked_at IS NULL;
        -- Every replica's on-handshake cache forgets what it answered for the name.
        PERFORM pg_notify('tls_certificates', changed.name);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domain_names_changed
    AFTER INSERT OR UPDATE OF status OR DELETE ON domain_names
    FOR EACH ROW EXECUTE FUNCTION domain_names_changed();

-- The on-handshake caches forget every name a certificate covers when it is stored, revoked or
-- deleted, and every name of a domain whose status enters or leaves active.
CREATE OR REPLACE FUNCTION tls_notify_certificate() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tls_certificates', n)
       FROM unnest(CASE WHEN TG_OP = 'DELETE' THEN OLD.names ELSE NEW.names END) n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tls_notify_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tls_certificates', OLD.domain_name);
    ELSIF (OLD.status = 'active') IS DISTINCT FROM (NEW.status = 'active') THEN
        PERFORM pg_notify('tls_certificates', NEW.domain_name);
        PERFORM pg_notify('tls_certificates', n.name) FROM domain_names n WHERE n.domain_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
