-- Bounded ordering. Every new-order request sent to a CA is written to a ledger first, under a
-- per-CA advisory lock, only while the client-side budgets (mirroring the CA's published limits)
-- allow it; across all replicas, the CA never sees more than the budget. An order over budget is
-- kept as 'queued' and sent when the budget allows.

CREATE TABLE acme_order_ledger (
    id                BIGSERIAL    PRIMARY KEY,
    directory_url     VARCHAR(500) NOT NULL,
    domain_name       VARCHAR(253) NOT NULL,
    registered_domain VARCHAR(253) NOT NULL,
    renewal           BOOLEAN      NOT NULL,
    sent_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX acme_order_ledger_account_idx ON acme_order_ledger (directory_url, sent_at);
CREATE INDEX acme_order_ledger_registered_idx ON acme_order_ledger (directory_url, registered_domain, sent_at);
CREATE INDEX acme_order_ledger_name_idx ON acme_order_ledger (directory_url, domain_name, sent_at);

-- A CA's rateLimited answer pauses every new order to it until its Retry-After.
CREATE TABLE acme_budget_pauses (
    directory_url VARCHAR(500) PRIMARY KEY,
    paused_until  TIMESTAMPTZ  NOT NULL,
    reason        TEXT         NOT NULL
);

-- A queued order has no URL at the CA yet.
ALTER TABLE acme_orders ALTER COLUMN order_url DROP NOT NULL;
ALTER TABLE acme_orders DROP CONSTRAINT acme_orders_state_check;
ALTER TABLE acme_orders ADD CONSTRAINT acme_orders_state_check CHECK (state IN
    ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading', 'valid', 'failed', 'cancelled'));
ALTER TABLE acme_orders ADD CONSTRAINT acme_orders_url_once_sent CHECK (state = 'queued' OR order_url IS NOT NULL);

DROP INDEX acme_orders_one_open_per_domain;
CREATE UNIQUE INDEX acme_orders_one_open_per_domain ON acme_orders (domain_id)
    WHERE state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading');
DROP INDEX acme_orders_due_idx;
CREATE INDEX acme_orders_due_idx ON acme_orders (next_attempt_at)
    WHERE state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading');
-- The re-issue cooldown reads a domain's latest order.
CREATE INDEX acme_orders_domain_created_idx ON acme_orders (domain_id, created_at DESC);
