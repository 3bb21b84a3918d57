package io.dnshandling.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
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
            Run run = new Run(new HashMap<>(), new long[1], plan.get("Actual Rows").asLong(), plan.toString());
            walk(plan, run);
            return run;
        }
    }

    private static void walk(JsonNode node, Run run) {
        long loops = node.path("Actual Loops").asLong(1);
        if (node.has("Relation Name") && node.path("Node Type").asText().contains("Scan")) {
            long read = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong();
            run.rowsRead().merge(node.get("Relation Name").asText(), read * loops, Long::sum);
        }
        run.joinFiltered()[0] += node.path("Rows Removed by Join Filter").asLong() * loops;
        for (JsonNode child : node.path("Plans")) {
            walk(child, run);
        }
    }

    /**
     * One run: the rows each table's scans read (returned and filtered out, over every loop), the
     * rows joins read and threw away, the rows the statement returned, and the plan as JSON.
     */
    public record Run(Map<String, Long> rowsRead, long[] joinFiltered, long returned, String plan) {
        public long read(String table) {
            return rowsRead.getOrDefault(table, 0L);
        }

        public long joinFilteredRows() {
            return joinFiltered[0];
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    /** The tables a claim of certificates reads. */
    public static final List<String> CERTIFICATE_TABLES = List.of("domains", "acme_orders", "certificates");
}
