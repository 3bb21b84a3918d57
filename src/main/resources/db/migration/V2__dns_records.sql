-- Records served by the built-in authoritative DNS server, managed through /dns/records.
-- Names are stored absolute, lower-case, without the trailing dot.
CREATE TABLE dns_records (
    id         CHAR(32)     PRIMARY KEY,
    name       VARCHAR(253) NOT NULL,
    type       VARCHAR(8)   NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'TXT', 'MX', 'SRV')),
    value      TEXT         NOT NULL,
    ttl        INTEGER      NOT NULL CHECK (ttl BETWEEN 0 AND 604800),
    priority   INTEGER      CHECK (priority BETWEEN 0 AND 65535),
    weight     INTEGER      CHECK (weight BETWEEN 0 AND 65535),
    port       INTEGER      CHECK (port BETWEEN 0 AND 65535),
    created_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT dns_records_unique UNIQUE (name, type, value)
);

CREATE INDEX dns_records_name_idx ON dns_records (name);

-- Every committed change that alters what the DNS server answers is announced on the channel
-- 'dns_zone', with the affected owner as payload: 'r:<record name>' for a record, 'd:<project
-- subdomain label>' for a domain (the server derives the names under BASE_DOMAIN). PostgreSQL
-- delivers notifications only on commit, so every instance sees a change once it is durable.
CREATE FUNCTION dns_zone_notify_record() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('dns_zone', 'r:' || OLD.name);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('dns_zone', 'r:' || NEW.name);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dns_records_notify
    AFTER INSERT OR UPDATE OR DELETE ON dns_records
    FOR EACH ROW EXECUTE FUNCTION dns_zone_notify_record();

CREATE FUNCTION dns_zone_notify_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('dns_zone', 'd:' || OLD.project_subdomain);
    ELSIF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
        PERFORM pg_notify('dns_zone', 'd:' || NEW.project_subdomain);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_notify
    AFTER INSERT OR UPDATE OR DELETE ON domains
    FOR EACH ROW EXECUTE FUNCTION dns_zone_notify_domain();
