package io.dnshandling.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A claim statement of the service run against statistics that no longer describe the tables, as
 * after a bulk change that autovacuum has not analyzed yet: temporary copies of the tables
 * ({@code LIKE … INCLUDING ALL}: columns, defaults, indexes; no triggers) shadow the real ones on
 * this connection's search path, are analyzed while they hold what the caller first inserts, and
 * are never analyzed again (autovacuum leaves temporary tables alone). The statement is planned
 * generically, as a prepared statement is after five runs, and run under EXPLAIN ANALYZE.
 */
public final class StalePlans implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection db;

    public StalePlans(String... tables) throws SQLException {
        db = TestDatabase.open();
        try (Statement s = db.createStatement()) {
            s.execute("SET search_path = pg_temp, public");
            for (String table : tables) {
                s.execute("CREATE TEMP TABLE " + table + " (LIKE public." + table + " INCLUDING ALL)");
            }
        }
    }

    /** Runs {@code sql} (inserts into the copies). */
    public StalePlans update(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
        return this;
    }

    /** {@code count} domains in {@code status}: ids {@code md5(label || i)}, named {@code label-i.example.com}. */
    public StalePlans domains(String label, int count, String status) throws SQLException {
        return update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
                SELECT md5('%1$s' || i), '%1$s-' || i || '.example.com', 'token', substr(md5('s%1$s' || i), 1, 20), '%2$s', now(), now(), now()
                  FROM generate_series(1, %3$d) i""".formatted(label, status, count));
    }

    /** An order in {@code state}, due at {@code due} (SQL over {@code i}), for each of those domains: ids {@code md5('o' || label || i)}. */
    public StalePlans orders(String label, int count, String state, String due) throws SQLException {
        return update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                SELECT md5('o%1$s' || i), md5('%1$s' || i), 'test', 'test', '%3$s', %4$s, 0, now(), now(), now(), now()
                  FROM generate_series(1, %2$d) i""".formatted(label, count, state, due));
    }

    /** The one number {@code sql} selects, read from the copies. */
    public long count(String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Analyzes the copies now: the statistics every plan after this one is made from. */
    public StalePlans analyze(String... tables) throws SQLException {
        for (String table : tables) {
            update("ANALYZE " + table);
        }
        return this;
    }

    /** What one generic run of {@code sql} with {@code arguments} (SQL literals) read, and returned. */
    public Run run(String sql, String arguments) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("DEALLOCATE ALL");
            s.execute("PREPARE claim AS " + sql);
            JsonNode plan;
            try (ResultSet r = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE claim(" + arguments + ")")) {
                r.next();
                plan = JSON.readTree(r.getString(1)).get(0).get("Plan");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, Long> rowsRead = new HashMap<>();
            long joinFiltered = walk(plan, rowsRead);
            return new Run(rowsRead, joinFiltered, plan.get("Actual Rows").asLong(), plan.toString());
        }
    }

    /** Adds each table's rows read under {@code node} to {@code rowsRead}; the rows its joins threw away. */
    private static long walk(JsonNode node, Map<String, Long> rowsRead) {
        long loops = node.path("Actual Loops").asLong(1);
        if (node.has("Relation Name") && node.path("Node Type").asText().contains("Scan")) {
            long read = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong();
            rowsRead.merge(node.get("Relation Name").asText(), read * loops, Long::sum);
        }
        long joinFiltered = node.path("Rows Removed by Join Filter").asLong() * loops;
        for (JsonNode child : node.path("Plans")) {
            joinFiltered += walk(child, rowsRead);
        }
        return joinFiltered;
    }

    /**
     * One run: the rows each table's scans read (returned and filtered out, over every loop), the
     * rows joins read and threw away, the rows the statement returned, and the plan as JSON.
     */
    public record Run(Map<String, Long> rowsRead, long joinFilteredRows, long returned, String plan) {
        public long read(String table) {
            return rowsRead.getOrDefault(table, 0L);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
