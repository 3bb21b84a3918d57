-- Events for webhook receivers, written by triggers in the same transaction as the change they
-- describe (a transactional outbox): no code path can change a domain without its event, and
-- an event exists only if its change committed. Dispatchers on every replica deliver them.
CREATE TABLE webhook_events (
    id              CHAR(32)    PRIMARY KEY DEFAULT replace(gen_random_uuid()::text, '-', ''),
    type            VARCHAR(40) NOT NULL,
    payload         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    delivered_to    TEXT[]      NOT NULL DEFAULT '{}',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    done            BOOLEAN     NOT NULL DEFAULT false
);
CREATE INDEX webhook_events_due_idx ON webhook_events (next_attempt_at) WHERE NOT done;

CREATE FUNCTION webhook_domain_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO webhook_events (type, payload) VALUES ('domain.status_changed', json_build_object(
            'domain_id', NEW.id, 'domain_name', NEW.domain_name, 'from', NULL, 'to', NEW.status,
            'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text);
    ELSIF TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status THEN
        INSERT INTO webhook_events (type, payload) VALUES ('domain.status_changed', json_build_object(
            'domain_id', NEW.id, 'domain_name', NEW.domain_name, 'from', OLD.status, 'to', NEW.status,
            'failure_reason', NEW.failure_reason,
            'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO webhook_events (type, payload) VALUES ('domain.deleted', json_build_object(
            'domain_id', OLD.id, 'domain_name', OLD.domain_name, 'from', OLD.status, 'to', NULL,
            'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_webhook
    AFTER INSERT OR UPDATE OR DELETE ON domains
    FOR EACH ROW EXECUTE FUNCTION webhook_domain_event();

-- Renewal outcomes (a renewal leaves the domain active, so it has no status change of its own).
CREATE FUNCTION webhook_renewal_event() RETURNS trigger AS $$
BEGIN
    IF NEW.purpose = 'renewal' AND OLD.state IS DISTINCT FROM NEW.state AND NEW.state IN ('valid', 'failed') THEN
        INSERT INTO webhook_events (type, payload)
        SELECT CASE WHEN NEW.state = 'valid' THEN 'certificate.renewed' ELSE 'certificate.renewal_failed' END,
               json_build_object('domain_id', d.id, 'domain_name', d.domain_name, 'order_id', NEW.id,
                                 'reason', CASE WHEN NEW.state = 'failed' THEN NEW.last_error END,
                                 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))::text
          FROM domains d WHERE d.id = NEW.domain_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER acme_orders_webhook
    AFTER UPDATE ON acme_orders
    FOR EACH ROW EXECUTE FUNCTION webhook_renewal_event();
