-- Delivery of certificates to the TLS terminators.

-- What each target holds of each domain, as the last delivery pass found or left it.
CREATE TABLE certificate_deployments (
    domain_id  CHAR(32)     NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    target     VARCHAR(300) NOT NULL,
    state      VARCHAR(10)  NOT NULL CHECK (state IN ('synced', 'pending', 'failed')),
    serial     VARCHAR(100),
    synced_at  TIMESTAMPTZ,
    last_error TEXT,
    updated_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (domain_id, target)
);

-- One replica at a time works a target (a lease, like the order claims); another takes over
-- once the lease runs out.
CREATE TABLE delivery_leases (
    target      VARCHAR(300) PRIMARY KEY,
    holder      CHAR(32),
    lease_until TIMESTAMPTZ  NOT NULL DEFAULT '-infinity'
);

-- A new certificate makes every target's copy of the domain stale until the next pass.
CREATE FUNCTION deployments_stale() RETURNS trigger AS $$
BEGIN
    UPDATE certificate_deployments SET state = 'pending', updated_at = now()
     WHERE domain_id = NEW.domain_id AND state = 'synced';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_deployments_stale
    AFTER INSERT ON certificates
    FOR EACH ROW EXECUTE FUNCTION deployments_stale();

-- Every replica's on-handshake cache drops a name when what it would serve for it changes:
-- a certificate stored or revoked, a domain leaving or reaching active, a domain deleted.
CREATE FUNCTION tls_notify_certificate() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tls_certificates', d.domain_name)
       FROM domains d WHERE d.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.domain_id ELSE NEW.domain_id END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_tls_notify
    AFTER INSERT OR UPDATE OF revoked_at OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION tls_notify_certificate();

CREATE FUNCTION tls_notify_domain() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('tls_certificates', OLD.domain_name);
    ELSIF (OLD.status = 'active') IS DISTINCT FROM (NEW.status = 'active') THEN
        PERFORM pg_notify('tls_certificates', NEW.domain_name);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_tls_notify
    AFTER UPDATE OF status OR DELETE ON domains
    FOR EACH ROW EXECUTE FUNCTION tls_notify_domain();

-- Webhook events for deliveries, through the same outbox as the status changes.
CREATE FUNCTION webhook_deployment_event() RETURNS trigger AS $$
BEGIN
    IF NEW.state = 'synced' AND (TG_OP = 'INSERT' OR OLD.state <> 'synced' OR OLD.serial IS DISTINCT FROM NEW.serial) THEN
        INSERT INTO webhook_events (type, payload)
        SELECT 'certificate.deployed', json_build_object('domain_id', d.id, 'domain_name', d.domain_name,
                   'target', NEW.target, 'serial', NEW.serial,
                   'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text
          FROM domains d WHERE d.id = NEW.domain_id;
    ELSIF NEW.state = 'failed' AND (TG_OP = 'INSERT' OR OLD.state <> 'failed') THEN
        INSERT INTO webhook_events (type, payload)
        SELECT 'certificate.deployment_failed', json_build_object('domain_id', d.id, 'domain_name', d.domain_name,
                   'target', NEW.target, 'serial', NEW.serial, 'reason', NEW.last_error,
                   'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text
          FROM domains d WHERE d.id = NEW.domain_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificate_deployments_webhook
    AFTER INSERT OR UPDATE ON certificate_deployments
    FOR EACH ROW EXECUTE FUNCTION webhook_deployment_event();
