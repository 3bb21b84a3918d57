-- GET /domains?status=…: the keyset page (status, then created_at, id after the cursor) is one
-- index range. The index on status alone made a filtered page sort every domain of that status.
CREATE INDEX domains_status_created_id_idx ON domains (status, created_at, id);
DROP INDEX domains_status_idx;
