-- Taking an order from the ordering budgets (V12) in one statement. The per-CA advisory lock was
-- held across five round trips between the service and the database (lock, pause, up to three
-- window counts, the ledger row, commit), and every order opened at the same CA waited for all of
-- them: 100 orders at once queued for a second behind it. This function does the same under the
-- same lock inside the database, so the lock is held for the statements themselves and the commit.
--
-- Each statement of a PL/pgSQL function takes a fresh snapshot under READ COMMITTED, so the
-- counts after the lock see every ledger row committed by whoever held it before.
--
-- A limit of 0 turns its budget off. The answer is no row when the order was taken (its ledger row
-- written), or one row naming the budget that is spent ('paused', 'account', 'registered',
-- 'duplicates'), until when, and for a pause the CA's reason; nothing is written then.
CREATE FUNCTION acme_budget_reserve(p_directory TEXT, p_name TEXT, p_registered TEXT, p_renewal BOOLEAN,
                                    p_account_limit INTEGER, p_account_window_s DOUBLE PRECISION,
                                    p_registered_limit INTEGER, p_duplicates_limit INTEGER,
                                    p_domain_window_s DOUBLE PRECISION)
RETURNS TABLE (budget TEXT, until TIMESTAMPTZ, reason TEXT) AS $$
DECLARE
    oldest TIMESTAMPTZ;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('acme-budget:' || p_directory));

    SELECT p.paused_until, p.reason INTO until, reason
      FROM acme_budget_pauses p WHERE p.directory_url = p_directory AND p.paused_until > now();
    IF FOUND THEN
        budget := 'paused';
        RETURN NEXT;
        RETURN;
    END IF;
    reason := NULL;

    IF p_account_limit > 0 THEN
        SELECT l.sent_at INTO oldest FROM acme_order_ledger l
         WHERE l.directory_url = p_directory AND l.sent_at > now() - make_interval(secs => p_account_window_s)
         ORDER BY l.sent_at DESC OFFSET p_account_limit - 1 LIMIT 1;
        IF FOUND THEN
            budget := 'account';
            until := oldest + make_interval(secs => p_account_window_s);
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    -- Renewals are exempt from the registered domain's budget, and not counted in it.
    IF p_registered_limit > 0 AND NOT p_renewal THEN
        SELECT l.sent_at INTO oldest FROM acme_order_ledger l
         WHERE l.directory_url = p_directory AND l.registered_domain = p_registered AND NOT l.renewal
           AND l.sent_at > now() - make_interval(secs => p_domain_window_s)
         ORDER BY l.sent_at DESC OFFSET p_registered_limit - 1 LIMIT 1;
        IF FOUND THEN
            budget := 'registered';
            until := oldest + make_interval(secs => p_domain_window_s);
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    IF p_duplicates_limit > 0 THEN
        SELECT l.sent_at INTO oldest FROM acme_order_ledger l
         WHERE l.directory_url = p_directory AND l.domain_name = p_name
           AND l.sent_at > now() - make_interval(secs => p_domain_window_s)
         ORDER BY l.sent_at DESC OFFSET p_duplicates_limit - 1 LIMIT 1;
        IF FOUND THEN
            budget := 'duplicates';
            until := oldest + make_interval(secs => p_domain_window_s);
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    INSERT INTO acme_order_ledger (directory_url, domain_name, registered_domain, renewal)
    VALUES (p_directory, p_name, p_registered, p_renewal);
END
$$ LANGUAGE plpgsql VOLATILE;
