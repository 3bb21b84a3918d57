package io.dnshandling.support;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Direct reads and writes on the test database, for what the API cannot show (row counts) or
 * cannot do yet (putting a domain into a given state). Blocking JDBC: test threads only.
 */
@ApplicationScoped
public class Rows {

    private final AgroalDataSource db;

    Rows(AgroalDataSource db) {
        this.db = db;
    }

    public long count(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String string(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code row} with each result row's columns as strings ({@code arg} null: a query without parameters). */
    public void each(String sql, Object arg, java.util.function.Consumer<java.util.List<String>> row) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                bind(ps, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    java.util.List<String> cols = new java.util.ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        cols.add(rs.getString(i));
                    }
                    row.accept(cols);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long domains() {
        return count("SELECT count(*) FROM domains");
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
