package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Moves every renewal that earlier test classes left due a day out, before the test class's
 * service starts. Its first renewal pass runs at start, before any test method: a class that counts
 * the orders a CA sees would otherwise count renewals of certificates it never made.
 */
public class NoDueRenewalsResource implements QuarkusTestResourceLifecycleManager {

    /** Every renewal due within a day, moved a day out. */
    public static final String MOVE_DUE_RENEWALS_OUT =
            "UPDATE certificates SET renew_at = now() + interval '1 day' WHERE renew_at < now() + interval '1 day'";

    @Override
    public Map<String, String> start() {
        try (Connection db = TestDatabase.open(); Statement statement = db.createStatement()) {
            statement.executeUpdate(MOVE_DUE_RENEWALS_OUT);
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // no certificates table yet: a fresh database has nothing due
                throw new IllegalStateException("could not move due renewals out: " + e.getMessage(), e);
            }
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
