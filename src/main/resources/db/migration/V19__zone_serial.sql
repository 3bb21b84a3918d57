-- One SOA serial for every replica, kept by the database. Each transaction that changes the zone
-- (that logs a key in dns_zone_changes) raises the counter by one as it commits: a deferred
-- trigger, so the row is held only for the commit itself, and the counter's order is the order in
-- which the changes became visible. A replica answers the value it read before the data it serves,
-- so replicas holding the same data answer the same serial, and a serial never claims a change the
-- replica has not loaded.
CREATE TABLE dns_zone_serial (
    single boolean PRIMARY KEY DEFAULT true CHECK (single),
    serial bigint NOT NULL
);
-- Above every serial answered until now: replicas derived theirs from the clock, in seconds since
-- the epoch, so secondaries and caches never see the serial go back.
INSERT INTO dns_zone_serial (serial) VALUES (extract(epoch FROM now())::bigint + 1);

CREATE FUNCTION dns_zone_serial_raise() RETURNS trigger AS $$
BEGIN
    -- Once per transaction, however many keys it logged.
    IF current_setting('dns_handling.zone_serial_raised', true) IS DISTINCT FROM 'yes' THEN
        UPDATE dns_zone_serial SET serial = serial + 1;
        PERFORM set_config('dns_handling.zone_serial_raised', 'yes', true);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER dns_zone_serial_raise AFTER INSERT ON dns_zone_changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dns_zone_serial_raise();
