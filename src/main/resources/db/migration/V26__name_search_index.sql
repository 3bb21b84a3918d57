-- The list's name search (`name=`, a part of a domain name) as a trigram index: a rare part of a
-- name is found from the index instead of by reading the domains in creation order until a page
-- fills. pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13 and later): the
-- database's owner may create it. Where it cannot be created (a server built without it, a role
-- without the right), the search still works, by the scan, and the migration says so.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS domains_name_trgm_idx ON domains USING gin (domain_name gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'no trigram index for the name search (%): searching by a part of a name reads the domains in creation order', SQLERRM;
END
$$;
