package io.dnshandling.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether many domains' names hold a part, which decides how {@link DomainPages} finds a name
 * search's page: a few matches are read from the trigram index and sorted, many are found in
 * creation order through the name blocks. Reads only.
 */
@ApplicationScoped
class NameCounts {

    private final Pool pool;

    NameCounts(Pool pool) {
        this.pool = pool;
    }

    /**
     * Whether more names than the lookup's bound hold {@code part}. A part with a trigram of its own
     * is counted as PostgreSQL sees fit (a scan of the table that stops at the bound, or the trigram
     * index), each name checked against one pattern. A two-character part's 39 patterns cost about
     * 3 µs a name to check, so its count is bounded in two steps: first among 10,000 rows of the
     * table (plain substring tests, 4 ms), which settles a common part at once; else through the
     * trigram index only, a bitmap scan (the other ways are off for the transaction). Left to
     * itself, PostgreSQL counted {@code d4}, which it expected in one name of nine, by reading the
     * table until the bound: where the matches sat late, 240,000 names and 0.3-0.8 s (hidden by a
     * best-of-5 figure, as a synchronised scan sometimes starts among them); with only that scan
     * off, through the index of names in their order, 1 s.
     */
    Uni<Boolean> many(String part, NameLookup lookup) {
        return pool.withTransaction(conn -> lookup.patterns().length == 1
                ? countsMany(conn, CUSTOM_PLAN, part, lookup)
                : sampleHoldsMany(conn, part, lookup)
                        .chain(many -> many ? Uni.createFrom().item(true) : countsMany(conn, CUSTOM_PLAN + BITMAP_ONLY, part, lookup)));
    }

    /**
     * Whether more than the lookup's bound of the first {@link #SAMPLE} rows of the table hold
     * {@code part}. The scan starts at the table's first page, with synchronised scans off for the
     * transaction: a synchronised scan starts where another scan of the table is, so the sample
     * was a different 10,000 rows from one page to the next, and for {@code d4} at a million domains
     * it missed the part in 66 of 218 pages in a row, each of which then paid the count through the
     * index (14 ms) instead of the sample (0.4 ms). The same part now takes the same way each time.
     */
    private static Uni<Boolean> sampleHoldsMany(SqlConnection conn, String part, NameLookup lookup) {
        return conn.query(FROM_THE_START).execute()
                .chain(() -> conn.preparedQuery("SELECT count(*) AS n FROM (SELECT 1 FROM (SELECT domain_name FROM domains LIMIT " + SAMPLE
                        + ") s WHERE strpos(s.domain_name, $1) > 0 LIMIT $2) x").execute(Tuple.of(part, lookup.fewMatches() + 1)))
                .map(rows -> rows.iterator().next().getLong("n") > lookup.fewMatches());
    }

    private static final String FROM_THE_START = "SELECT set_config('synchronize_seqscans', 'off', true)";

    /**
     * Counts the lookup's matches up to its bound under {@code settings}, for the transaction. The
     * count is planned for its patterns each time: a plan kept for the connection, made for a part
     * PostgreSQL expected in few names, later counted a part in every name through the trigram
     * index, 95 ms where a scan of the table takes 5.
     */
    private static Uni<Boolean> countsMany(SqlConnection conn, String settings, String part, NameLookup lookup) {
        List<Object> args = new ArrayList<>();
        String condition = lookup.condition("domain_name", part, args);
        args.add(lookup.fewMatches() + 1);
        String count = "SELECT count(*) AS n FROM (SELECT 1 FROM domains WHERE " + condition + " LIMIT $" + args.size() + ") x";
        return conn.query(settings).execute()
                .chain(() -> conn.preparedQuery(count).execute(Tuple.from(args)))
                .map(rows -> rows.iterator().next().getLong("n") > lookup.fewMatches());
    }

    private static final String CUSTOM_PLAN = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)";
    /** Appended to {@link #CUSTOM_PLAN}: the trigram index's bitmap scan is the one way left to read. */
    private static final String BITMAP_ONLY = ", set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
            + "set_config('enable_indexonlyscan', 'off', true)";

    /** How many rows of the table {@link #many} reads for a two-character part before it asks the trigram index. */
    private static final int SAMPLE = 10_000;
}
