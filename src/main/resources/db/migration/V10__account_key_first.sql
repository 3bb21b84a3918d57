-- The account key is stored before the account is created at the CA, so no database connection
-- is held while the CA answers: every replica then registers that same key, which the CA answers
-- with the one account it belongs to (RFC 8555 7.3.1).
ALTER TABLE acme_accounts ALTER COLUMN account_url DROP NOT NULL;
