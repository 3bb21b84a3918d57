-- The CA (its ACME directory) that issued each certificate: renewal prefers it, revocation and
-- renewal information go to it, and its name is shown in the certificate's metadata.
ALTER TABLE certificates ADD COLUMN acme_directory VARCHAR(500);
UPDATE certificates c SET acme_directory = o.directory_url FROM acme_orders o WHERE o.id = c.order_id;
UPDATE certificates c SET acme_directory = (SELECT directory_url FROM acme_accounts ORDER BY created_at LIMIT 1)
 WHERE c.acme_directory IS NULL;
