-- ACME Renewal Information (RFC 9773): the CA's certificate id sent as 'replaces' on a renewal
-- order, and where a renewal time came from.
ALTER TABLE acme_orders ADD COLUMN replaces_ari_id VARCHAR(200);
ALTER TABLE certificates ADD COLUMN renewal_source VARCHAR(10) CHECK (renewal_source IN ('ari', 'ratio'));
