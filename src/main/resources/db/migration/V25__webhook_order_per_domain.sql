-- A webhook event is held back while an earlier event of its domain is undelivered and waiting
-- (a retry's backoff or another replica's lease). The claim asks that for every due event; this
-- index answers it from the few undelivered rows of one domain.
CREATE INDEX webhook_events_undelivered_domain_idx ON webhook_events (domain_id, created_at, id) WHERE NOT done;
