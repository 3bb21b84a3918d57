package io.dnshandling.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The test database over JDBC, for what runs outside a service under test: tests of the packaged
 * service, and test resources that prepare rows before a test class's service starts.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:5432/dnshandling_test", "dnshandling", "dnshandling");
    }
}
