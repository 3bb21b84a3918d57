-- Announce a change on 'dns_zone' only when it changes what the DNS server answers: every
-- replica reloads the names it is told about, so a notification per order step (five per
-- certificate) was work without effect.

-- A domain publishes its token while pending or failed, and its ingress addresses while it exists.
CREATE OR REPLACE FUNCTION dns_zone_notify_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('dns_zone', 'd:' || OLD.project_subdomain);
    ELSIF TG_OP = 'INSERT'
          OR (OLD.status IN ('pending', 'failed')) IS DISTINCT FROM (NEW.status IN ('pending', 'failed')) THEN
        PERFORM pg_notify('dns_zone', 'd:' || NEW.project_subdomain);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- An order publishes its dns-01 values while awaiting DNS or validating.
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
        PERFORM pg_notify('dns_zone', 'd:' || sub);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
