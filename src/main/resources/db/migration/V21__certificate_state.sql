-- Whether a domain's certificate is still good, told apart from the domain's status: an active
-- domain whose renewals keep failing can hold an expired or revoked certificate. One definition,
-- read by GET /domains/{id}, the list and its certificate_state filter, and the fleet summary.
--   none      no certificate yet
--   revoked   the current (latest issued) certificate was revoked
--   expired   it is past its notAfter
--   expiring  it ends within 7 days, or within a tenth of its lifetime when that is shorter
--             (a 6-day certificate is expiring in its last 14 hours, not all its life)
--   renewing  its renewal is due or under way: a renewal or re-issue order is open, or the last
--             renewal attempt failed and is being retried
--   valid     none of the above
CREATE FUNCTION certificate_state(d char(32), at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT COALESCE((
        SELECT CASE
                 WHEN c.revoked_at IS NOT NULL THEN 'revoked'
                 WHEN c.not_after <= at THEN 'expired'
                 WHEN c.not_after - at <= LEAST(interval '7 days', (c.not_after - c.not_before) / 10) THEN 'expiring'
                 WHEN c.renew_at <= at OR c.renewal_error IS NOT NULL
                      OR EXISTS (SELECT 1 FROM acme_orders o
                                  WHERE o.domain_id = d AND o.purpose IN ('renewal', 'reissue')
                                    AND o.state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading')) THEN 'renewing'
                 ELSE 'valid'
               END
          FROM certificates c
         WHERE c.domain_id = d
         ORDER BY c.issued_at DESC, c.id DESC
         LIMIT 1), 'none')
$$;
