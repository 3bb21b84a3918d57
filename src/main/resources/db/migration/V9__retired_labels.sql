-- A deleted domain's delegation label is retired for good: a former customer's CNAME may still
-- point at _acme-challenge.<label>.<zone>, and whoever got that label next could answer for them.

CREATE TABLE retired_labels (
    label      VARCHAR(63) PRIMARY KEY,
    retired_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION retire_label() RETURNS trigger AS $$
BEGIN
    INSERT INTO retired_labels (label) VALUES (OLD.project_subdomain) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_retire_label
    AFTER DELETE ON domains
    FOR EACH ROW EXECUTE FUNCTION retire_label();

-- Labels are 100 random bits, so a repeat is not expected; should one come, it is refused.
CREATE FUNCTION refuse_retired_label() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM retired_labels WHERE label = NEW.project_subdomain) THEN
        RAISE EXCEPTION 'project subdomain % belonged to a deleted domain', NEW.project_subdomain
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER domains_refuse_retired_label
    BEFORE INSERT OR UPDATE OF project_subdomain ON domains
    FOR EACH ROW EXECUTE FUNCTION refuse_retired_label();
