-- The name search's skip list: which letters, and which pairs of neighbouring characters, the
-- names of each block of about 512 domains hold, and the span of creation times the block covers.
-- A part whose matches are many but begin late in creation order (or that no name holds) was found
-- by reading every domain before its first match; the search now reads only the spans of the
-- blocks that hold every character and pair of the part (domain_ids_holding below).
--
-- A name holds only letters, digits, dots and hyphens (38 characters): bit k is character k, bit
-- 38 + 38 * j + k the pair of characters j then k. Kept by a trigger in the transaction that inserts
-- the domain, so a search never misses a committed name. New domains go to one of 8 lanes (by their
-- id's hash), each with a block open at a time, so that concurrent registrations seldom wait for
-- the same row. A deleted domain leaves its block as it was: the block only claims too much.
CREATE TABLE domain_name_blocks (
    lane          SMALLINT    NOT NULL,
    seq           INTEGER     NOT NULL,
    grams         BIT(1482)   NOT NULL,
    first_created TIMESTAMPTZ NOT NULL,
    last_created  TIMESTAMPTZ NOT NULL,
    names         INTEGER     NOT NULL,
    PRIMARY KEY (lane, seq)
);

-- The characters and pairs of a name or a part of one; null when it holds a character no domain
-- name has.
CREATE FUNCTION domain_name_grams(name TEXT) RETURNS BIT(1482)
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    g    BIT(1482) := repeat('0', 1482)::BIT(1482);
    prev INTEGER := -1;
    k    INTEGER;
BEGIN
    FOR i IN 1 .. length(name) LOOP
        k := strpos('0123456789abcdefghijklmnopqrstuvwxyz.-', substr(name, i, 1)) - 1;
        IF k < 0 THEN
            RETURN NULL;
        END IF;
        g := set_bit(g, k, 1);
        IF prev >= 0 THEN
            g := set_bit(g, 38 + prev * 38 + k, 1);
        END IF;
        prev := k;
    END LOOP;
    RETURN g;
END
$$;

-- What a block takes from a stored name: its characters and pairs, or every bit for a name with a
-- character outside the alphabet (none is admitted), so that such a name is in every search's blocks.
CREATE FUNCTION domain_name_block_grams(name TEXT) RETURNS BIT(1482)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(domain_name_grams(name), ~repeat('0', 1482)::BIT(1482));
$$;

CREATE FUNCTION domain_name_blocks_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    l SMALLINT := hashtext(NEW.id::TEXT) & 7;
    g BIT(1482) := domain_name_block_grams(NEW.domain_name);
    s INTEGER;
BEGIN
    SELECT max(seq) INTO s FROM domain_name_blocks WHERE lane = l;
    IF s IS NOT NULL THEN
        UPDATE domain_name_blocks
           SET grams = grams | g, first_created = least(first_created, NEW.created_at),
               last_created = greatest(last_created, NEW.created_at), names = names + 1
         WHERE lane = l AND seq = s AND names < 512;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO domain_name_blocks AS b VALUES (l, coalesce(s + 1, 0), g, NEW.created_at, NEW.created_at, 1)
    ON CONFLICT (lane, seq) DO UPDATE
       SET grams = b.grams | EXCLUDED.grams, first_created = least(b.first_created, EXCLUDED.first_created),
           last_created = greatest(b.last_created, EXCLUDED.last_created), names = b.names + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER domains_name_blocks AFTER INSERT ON domains
    FOR EACH ROW EXECUTE FUNCTION domain_name_blocks_add();

-- Rebuilds every block from the domains in creation order (lane 0): run below for the domains that
-- exist, and by whatever loads domains with triggers off (a restore, the scale benchmark's seed).
CREATE FUNCTION domain_name_blocks_rebuild() RETURNS VOID LANGUAGE sql AS $$
    DELETE FROM domain_name_blocks;
    INSERT INTO domain_name_blocks
    SELECT 0, n / 512, bit_or(domain_name_block_grams(domain_name)),
           min(created_at), max(created_at), count(*)
      FROM (SELECT domain_name, created_at, (row_number() OVER (ORDER BY created_at, id) - 1) AS n FROM domains) d
     GROUP BY n / 512;
$$;

SELECT domain_name_blocks_rebuild();

-- One span of domain_ids_holding (below): the domains after (ac, ai) up to hi, read in creation
-- order through the index of their status when one is asked for (a status few domains have must not
-- read every domain of the span), else through the creation-order index. Row comparisons bound the
-- span at both ends: beside another condition on the index's first column (a second lower bound,
-- an equal status), PostgreSQL started the scan from that one and only filtered by the row
-- comparison (20 ms for active domains from halfway down the list, against 0.2). strpos, not LIKE:
-- the trigram index has nothing to offer inside a span, and a plan kept for the session must not
-- pick it.
CREATE FUNCTION domain_ids_in_span(ac TIMESTAMPTZ, ai CHAR(32), hi TIMESTAMPTZ, part TEXT, status_is TEXT, wanted INTEGER)
    RETURNS SETOF CHAR(32) LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF status_is IS NULL THEN
        RETURN QUERY SELECT d.id FROM domains d
                      WHERE (d.created_at, d.id) > (ac, ai) AND d.created_at <= hi AND strpos(d.domain_name, part) > 0
                      ORDER BY d.created_at, d.id LIMIT wanted;
    ELSE
        RETURN QUERY SELECT d.id FROM domains d
                      WHERE (d.status, d.created_at, d.id) > (status_is, ac, ai) AND (d.status, d.created_at) <= (status_is, hi)
                        AND strpos(d.domain_name, part) > 0
                      ORDER BY d.status, d.created_at, d.id LIMIT wanted;
    END IF;
END
$$;

-- The ids of up to `wanted` domains in creation order after (after_created, after_id) whose names
-- hold `part` (and of status `status_is` unless null). Only spans of creation time are read: each
-- run of blocks (in order of their first creation time) that all hold every character and pair of
-- the part, as one span, and spans that overlap (the lanes' blocks do) as one; each in creation
-- order, until enough are found.
CREATE FUNCTION domain_ids_holding(part TEXT, status_is TEXT, after_created TIMESTAMPTZ, after_id TEXT, wanted INTEGER)
    RETURNS SETOF CHAR(32) LANGUAGE plpgsql STABLE ROWS 200 AS $$
DECLARE
    mask BIT(1482) := domain_name_grams(part);
    ac   TIMESTAMPTZ := coalesce(after_created, '-infinity');
    ai   CHAR(32) := coalesce(after_id, '');
    lo   TIMESTAMPTZ;
    hi   TIMESTAMPTZ;
    b    RECORD;
    got  INTEGER := 0;
    n    INTEGER;
BEGIN
    IF mask IS NULL THEN
        RETURN;
    END IF;
    -- The last row, at infinity, only closes the last span.
    FOR b IN SELECT starts, ends FROM (
                 SELECT min(first_created) AS starts, max(last_created) AS ends
                   FROM (SELECT first_created, last_created, candidate,
                                count(*) FILTER (WHERE NOT candidate) OVER (ORDER BY first_created, lane, seq) AS run
                           FROM (SELECT first_created, last_created, lane, seq, grams & mask = mask AS candidate
                                   FROM domain_name_blocks WHERE last_created >= ac) blocks) runs
                  WHERE candidate GROUP BY run
                 UNION ALL SELECT 'infinity', 'infinity') spans
              ORDER BY starts LOOP
        IF lo IS NOT NULL AND b.starts <= hi THEN
            hi := greatest(hi, b.ends);
            CONTINUE;
        END IF;
        IF lo IS NOT NULL THEN
            RETURN QUERY SELECT * FROM domain_ids_in_span(CASE WHEN ac >= lo THEN ac ELSE lo END,
                                                          CASE WHEN ac >= lo THEN ai ELSE '' END, hi, part, status_is, wanted - got);
            GET DIAGNOSTICS n = ROW_COUNT;
            got := got + n;
            IF got >= wanted THEN
                RETURN;
            END IF;
        END IF;
        lo := b.starts;
        hi := b.ends;
    END LOOP;
END
$$;
