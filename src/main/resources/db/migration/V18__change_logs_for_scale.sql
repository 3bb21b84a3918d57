-- Work that grew with the fleet now grows with its changes.

-- 1. Zone changes, logged beside their notification. A replica catches up by reading the keys
-- logged since its watermark instead of re-reading the whole zone: the notifications it missed
-- while its listener was down, and anything else, are in the log. The watermark is a snapshot's
-- xmin: every transaction below it has ended, so no change below it can still appear.
CREATE TABLE dns_zone_changes (
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dns_zone_changes_xid_idx ON dns_zone_changes (xid);
CREATE INDEX dns_zone_changes_at_idx ON dns_zone_changes (at);

CREATE FUNCTION dns_zone_changed(changed text) RETURNS void AS $$
BEGIN
    INSERT INTO dns_zone_changes (key) VALUES (changed);
    PERFORM pg_notify('dns_zone', changed);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dns_zone_notify_record() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dns_zone_changed('r:' || OLD.name);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name) THEN
        PERFORM dns_zone_changed('r:' || NEW.name);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dns_zone_notify_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM dns_zone_changed('d:' || OLD.project_subdomain);
    ELSIF TG_OP = 'INSERT'
          OR (OLD.status IN ('pending', 'failed')) IS DISTINCT FROM (NEW.status IN ('pending', 'failed')) THEN
        PERFORM dns_zone_changed('d:' || NEW.project_subdomain);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION dns_zone_notify_order() RETURNS trigger AS $$
DECLARE
    sub TEXT;
    before_published BOOLEAN := TG_OP <> 'INSERT' AND OLD.state IN ('awaiting_dns', 'validating');
    after_published BOOLEAN := TG_OP <> 'DELETE' AND NEW.state IN ('awaiting_dns', 'validating');
BEGIN
    IF before_published = after_published THEN
        RETURN NULL;
    END IF;
    SELECT project_subdomain INTO sub FROM domains
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.domain_id ELSE NEW.domain_id END;
    IF sub IS NOT NULL THEN
        PERFORM dns_zone_changed('d:' || sub);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- 2. Expiry counts. Each domain's counted certificate (its latest, when the domain is active and
-- that certificate not revoked) is remembered in certificate_expiry_counted; every change to it
-- adds a -1 for the hour it left and a +1 for the hour it joined to certificate_expiry_deltas.
-- Insert-only, so concurrent issuance never waits on a shared counter row; replicas fold the
-- deltas into one row per hour as they read them.
CREATE TABLE certificate_expiry_counted (
    domain_id char(32) PRIMARY KEY,
    not_after timestamptz NOT NULL,
    hour timestamptz NOT NULL
);
CREATE INDEX certificate_expiry_counted_hour_idx ON certificate_expiry_counted (hour);

CREATE TABLE certificate_expiry_deltas (
    hour timestamptz NOT NULL,
    n integer NOT NULL
);

CREATE FUNCTION certificate_expiry_recount(d char(32)) RETURNS void AS $$
DECLARE
    wanted timestamptz;
    counted certificate_expiry_counted%ROWTYPE;
    had boolean;
BEGIN
    SELECT CASE WHEN c.revoked_at IS NULL THEN c.not_after END INTO wanted
      FROM certificates c JOIN domains dm ON dm.id = c.domain_id AND dm.status = 'active'
     WHERE c.domain_id = d
     ORDER BY c.issued_at DESC, c.id DESC LIMIT 1;
    SELECT * INTO counted FROM certificate_expiry_counted WHERE domain_id = d FOR UPDATE;
    had := FOUND;
    IF had AND counted.not_after IS NOT DISTINCT FROM wanted THEN
        RETURN;
    END IF;
    IF had THEN
        INSERT INTO certificate_expiry_deltas VALUES (counted.hour, -1);
        DELETE FROM certificate_expiry_counted WHERE domain_id = d;
    END IF;
    IF wanted IS NOT NULL THEN
        INSERT INTO certificate_expiry_counted VALUES (d, wanted, date_trunc('hour', wanted, 'UTC'))
            ON CONFLICT (domain_id) DO NOTHING;
        IF FOUND THEN
            INSERT INTO certificate_expiry_deltas VALUES (date_trunc('hour', wanted, 'UTC'), 1);
        END IF;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION certificate_expiry_on_certificate() RETURNS trigger AS $$
BEGIN
    PERFORM certificate_expiry_recount(CASE WHEN TG_OP = 'DELETE' THEN OLD.domain_id ELSE NEW.domain_id END);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_expiry_count
    AFTER INSERT OR DELETE OR UPDATE OF revoked_at, not_after, issued_at ON certificates
    FOR EACH ROW EXECUTE FUNCTION certificate_expiry_on_certificate();

CREATE FUNCTION certificate_expiry_on_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM certificate_expiry_recount(OLD.id);
    ELSIF (OLD.status = 'active') IS DISTINCT FROM (NEW.status = 'active') THEN
        PERFORM certificate_expiry_recount(NEW.id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_expiry_count
    AFTER DELETE OR UPDATE OF status ON domains
    FOR EACH ROW EXECUTE FUNCTION certificate_expiry_on_domain();

-- What the triggers would have counted, for the certificates already stored.
INSERT INTO certificate_expiry_counted
SELECT domain_id, not_after, date_trunc('hour', not_after, 'UTC')
  FROM (SELECT DISTINCT ON (c.domain_id) c.domain_id, c.not_after, c.revoked_at
          FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active'
         ORDER BY c.domain_id, c.issued_at DESC, c.id DESC) latest
 WHERE revoked_at IS NULL;
INSERT INTO certificate_expiry_deltas SELECT hour, count(*) FROM certificate_expiry_counted GROUP BY hour;
