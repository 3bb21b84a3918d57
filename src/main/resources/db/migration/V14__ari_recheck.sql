-- The CA's renewal window can move after issuance (RFC 9773: before a mass revocation, say): each
-- ARI-planned certificate is asked again daily; this is when it was last asked.
ALTER TABLE certificates ADD COLUMN ari_checked_at TIMESTAMPTZ;
UPDATE certificates SET ari_checked_at = issued_at WHERE renewal_source = 'ari';
CREATE INDEX certificates_ari_recheck_idx ON certificates (ari_checked_at)
    WHERE renewal_source = 'ari' AND revoked_at IS NULL AND renew_at IS NOT NULL;
