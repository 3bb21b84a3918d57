-- Private keys are now sealed for the row and column they are stored in (format v2). Values of the
-- older formats (plain PEM, v1) are upgraded once by the service at start; after that upgrade, a
-- value in an older format is never read again, so a key planted in plain text is refused.
CREATE TABLE key_vault_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_pending BOOLEAN NOT NULL
);
INSERT INTO key_vault_state (id, legacy_pending)
SELECT 1, EXISTS (SELECT 1 FROM acme_accounts WHERE key_pem NOT LIKE 'v2:%')
       OR EXISTS (SELECT 1 FROM acme_orders WHERE certificate_key_pem NOT LIKE 'v2:%')
       OR EXISTS (SELECT 1 FROM certificates WHERE private_key_pem NOT LIKE 'v2:%');

-- An order's key belongs in its certificate once that is stored.
UPDATE acme_orders SET certificate_key_pem = NULL
 WHERE state = 'valid' AND EXISTS (SELECT 1 FROM certificates c WHERE c.order_id = acme_orders.id);
