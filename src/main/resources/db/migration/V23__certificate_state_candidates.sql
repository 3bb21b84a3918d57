-- GET /domains?certificate_state=… at a million domains: the states that are rare in a healthy
-- fleet (expired, expiring, revoked, renewing) are found from the few rows that can hold them,
-- through indexes, instead of judging every domain in creation order until a page is full. Each
-- set is a superset of the domains in that state (certificate_state() still decides); valid and
-- none are common, and scanning for them fills a page at once, so they have no set.
CREATE FUNCTION certificate_state_candidates(wanted text) RETURNS TABLE (domain_id char(32))
LANGUAGE sql STABLE ROWS 100 AS $$
    -- Current, unrevoked certificates of active domains, by hour of expiry (V18).
    SELECT e.domain_id FROM certificate_expiry_counted e WHERE wanted = 'expired' AND e.hour <= now()
    UNION ALL
    SELECT e.domain_id FROM certificate_expiry_counted e WHERE wanted = 'expiring' AND e.hour < now() + interval '7 days'
    UNION ALL
    SELECT c.domain_id FROM certificates c WHERE wanted = 'revoked' AND c.revoked_at IS NOT NULL
    UNION ALL
    SELECT c.domain_id FROM certificates c WHERE wanted = 'renewing' AND c.renewal_error IS NOT NULL AND c.revoked_at IS NULL
    UNION ALL
    SELECT c.domain_id FROM certificates c WHERE wanted = 'renewing' AND c.renew_at <= now() AND c.revoked_at IS NULL
    UNION ALL
    SELECT o.domain_id FROM acme_orders o
     WHERE wanted = 'renewing' AND o.purpose IN ('renewal', 'reissue')
       AND o.state IN ('queued', 'awaiting_dns', 'validating', 'finalizing', 'downloading')
$$;
