-- The outbox is also each domain's history (GET /domains/{id}/events): every event names the
-- domain it is about, and when it was delivered, so that delivered events can be kept for
-- EVENT_RETENTION and then forgotten. Both are set here, by the table itself, so that no trigger
-- that writes events has to know.
ALTER TABLE webhook_events ADD COLUMN domain_id CHAR(32), ADD COLUMN done_at TIMESTAMPTZ;
UPDATE webhook_events SET domain_id = payload::json ->> 'domain_id', done_at = CASE WHEN done THEN created_at END;
CREATE INDEX webhook_events_domain_idx ON webhook_events (domain_id, created_at DESC, id DESC);
CREATE INDEX webhook_events_done_idx ON webhook_events (done_at) WHERE done;

CREATE FUNCTION webhook_event_bookkeeping() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.domain_id := NEW.payload::json ->> 'domain_id';
    END IF;
    IF NEW.done AND (TG_OP = 'INSERT' OR NOT OLD.done) THEN
        NEW.done_at := now();
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER webhook_events_bookkeeping
    BEFORE INSERT OR UPDATE OF done ON webhook_events
    FOR EACH ROW EXECUTE FUNCTION webhook_event_bookkeeping();
