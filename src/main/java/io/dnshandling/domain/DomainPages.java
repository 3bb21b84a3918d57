package io.dnshandling.domain;

import io.dnshandling.core.PageCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The list's pages of domains ({@code GET /domains}): in creation order, after a position, of a
 * status, a certificate state and a part of a name. A read model like {@link DomainOverviews}: it
 * writes nothing. Each filter at a million domains has a way to find its page that stays fast for
 * what it asks; how many rows can match decides between them.
 */
@ApplicationScoped
public class DomainPages {

    private final Pool pool;

    DomainPages(Pool pool) {
        this.pool = pool;
    }

    /** A domain of a list page, with its certificate's state. */
    public record Listed(Domain domain, CertificateState certificateState) {
    }

    /**
     * One page of domains in creation order, after the position {@code (createdAt, id)} when given,
     * of one status, certificate state and name part when given; fetches one more than
     * {@code limit} so the caller knows whether a next page exists.
     */
    Uni<List<Listed>> page(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after, int limit) {
        if (certificateState == null && nameContains != null) {
            NameLookup lookup = NameLookup.of(nameContains);
            if (lookup == null) {
                return page(status, null, nameContains, after, limit, Plan.NAME_BLOCKS, null);
            }
            // A part pg_trgm can find is looked up in the trigram index (V26), and a few matches are
            // read from it and sorted (4 ms for 11,000 at a million domains). Many are found in
            // creation order, reading only the spans whose blocks can hold the part (V31): a scan of
            // every domain read half a million to reach matches that all sat late (80 ms), and all
            // of them for a part no name holds (0.5 s). Counted up to the lookup's bound first.
            return manyNames(nameContains, lookup)
                    .chain(many -> many
                            ? page(status, null, nameContains, after, limit, Plan.NAME_BLOCKS, null)
                            : page(status, null, nameContains, after, limit, Plan.NAME_MATCHES_SORTED, lookup));
        }
        if (certificateState == null || !certificateState.rare()) {
            return page(status, certificateState, nameContains, after, limit, Plan.SCAN, null);
        }
        // How many rows can hold the state decides how to find them: a few are joined by primary
        // key and sorted; many are a set the scan in creation order checks each domain against,
        // which stops at a full page. A join of many sorts them all: 0.6 s for 39,000 at a million
        // domains, against 43 ms; a scan for a few reads the whole table: 365 ms against 15 ms.
        return count("SELECT count(*) AS n FROM (SELECT 1 FROM certificate_state_candidates($1) LIMIT $2) x",
                Tuple.of(certificateState.wire(), MANY_CANDIDATES + 1))
                .chain(n -> page(status, certificateState, nameContains, after, limit,
                        n > MANY_CANDIDATES ? Plan.SCAN_CHECKING_CANDIDATES : Plan.SCAN, null));
    }

    /** Above this many rows that can hold a rare certificate state, a list of it scans instead of joining. */
    static final int MANY_CANDIDATES = 5_000;

    /**
     * How a page finds its domains: every domain in creation order, each checked against the
     * filters until the page is full ({@code SCAN}); the same, checking each against the set of rows
     * that can hold a rare certificate state; the few whose names hold the part, sorted; or the
     * domains in creation order within the spans whose blocks can hold the part.
     */
    private enum Plan { SCAN, SCAN_CHECKING_CANDIDATES, NAME_MATCHES_SORTED, NAME_BLOCKS }

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
    private Uni<Boolean> manyNames(String part, NameLookup lookup) {
        return pool.withTransaction(conn -> lookup.patterns().length == 1
                ? countsMany(conn, CUSTOM_PLAN, part, lookup)
                : sampleHoldsMany(conn, part, lookup)
                        .chain(many -> many ? Uni.createFrom().item(true) : countsMany(conn, CUSTOM_PLAN + BITMAP_ONLY, part, lookup)));
    }

    /** Whether more than the lookup's bound of the first {@link #SAMPLE} rows of the table hold {@code part}. */
    private static Uni<Boolean> sampleHoldsMany(SqlConnection conn, String part, NameLookup lookup) {
        return conn.preparedQuery("SELECT count(*) AS n FROM (SELECT 1 FROM (SELECT domain_name FROM domains LIMIT " + SAMPLE
                        + ") s WHERE strpos(s.domain_name, $1) > 0 LIMIT $2) x")
                .execute(Tuple.of(part, lookup.fewMatches() + 1))
                .map(rows -> rows.iterator().next().getLong("n") > lookup.fewMatches());
    }

    /**
     * Counts the lookup's matches up to its bound under {@code settings}, for the transaction. The
     * count is planned for its patterns each time: a plan kept for the connection, made for a part
     * PostgreSQL expected in few names, later counted a part in every name through the trigram
     * index, 95 ms where a scan of the table takes 5.
     */
    private static Uni<Boolean> countsMany(SqlConnection conn, String settings, String part, NameLookup lookup) {
        return conn.query(settings).execute()
                .chain(() -> conn.preparedQuery(COUNT_NAMES).execute(Tuple.of(part, lookup.patterns(), lookup.fewMatches() + 1)))
                .map(rows -> rows.iterator().next().getLong("n") > lookup.fewMatches());
    }

    private static final String CUSTOM_PLAN = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)";
    /** Appended to {@link #CUSTOM_PLAN}: the trigram index's bitmap scan is the one way left to read. */
    private static final String BITMAP_ONLY = ", set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
            + "set_config('enable_indexonlyscan', 'off', true)";
    private static final String COUNT_NAMES = "SELECT count(*) AS n FROM (SELECT 1 FROM domains WHERE "
            + NameLookup.condition("domain_name", 1, 2) + " LIMIT $3) x";

    /** How many rows of the table {@link #manyNames} reads for a two-character part before it asks the trigram index. */
    private static final int SAMPLE = 10_000;

    private Uni<Long> count(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> rows.iterator().next().getLong("n"));
    }

    private Uni<List<Listed>> page(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after, int limit,
            Plan plan, NameLookup lookup) {
        List<Object> args = new ArrayList<>();
        if (plan == Plan.NAME_BLOCKS) {
            // The page's ids, from the spans of creation time whose blocks hold the part's
            // characters and pairs (V31); the function applies the status and the position itself.
            args.addAll(Arrays.asList(nameContains, status == null ? null : status.wire(),
                    after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC), after == null ? null : after.id(), limit + 1));
            return page(new StringBuilder("d.id = ANY (ARRAY(SELECT domain_ids_holding($1, $2, $3, $4, $5)))"), args, limit);
        }
        // With the name's matches sorted, the domains' own conditions select a page of ids first
        // (m), and only that page is joined to its certificates (d).
        String t = plan == Plan.NAME_MATCHES_SORTED ? "m" : "d";
        StringBuilder where = new StringBuilder("TRUE");
        if (status != null) {
            args.add(status.wire());
            where.append(" AND ").append(t).append(".status = $").append(args.size());
        }
        if (plan == Plan.NAME_MATCHES_SORTED) {
            // The lookup's patterns: together they hold exactly the names with the part, and each
            // has a trigram to look up (the part's own LIKE may have none).
            args.add(nameContains);
            args.add(lookup.patterns());
            where.append(" AND ").append(NameLookup.condition("m.domain_name", args.size() - 1, args.size()));
        } else if (nameContains != null) {
            args.add(NameLookup.like(nameContains));
            where.append(" AND ").append(t).append(".domain_name LIKE $").append(args.size());
        }
        if (after != null) {
            // A row comparison, which PostgreSQL turns into an index range; the equivalent OR of
            // two conditions is only a filter, and a page deep into a large list read every row before it.
            args.add(after.createdAt().atOffset(ZoneOffset.UTC));
            args.add(after.id());
            where.append(" AND (").append(t).append(".created_at, ").append(t).append(".id) > ($").append(args.size() - 1)
                    .append(", $").append(args.size()).append(')');
        }
        if (certificateState != null) {
            args.add(certificateState.wire());
            where.append(" AND ").append(DomainRows.CERTIFICATE_STATE_RULE).append(" = $").append(args.size());
            if (certificateState.rare()) {
                // Found through the rows that can hold it (V23), not by judging every domain in turn.
                // IS TRUE keeps PostgreSQL from turning the set into a join: it stays a hashed set
                // that the scan in creation order checks.
                String in = "d.id IN (SELECT domain_id FROM certificate_state_candidates($" + args.size() + "))";
                where.append(" AND ").append(plan == Plan.SCAN_CHECKING_CANDIDATES ? "(" + in + ") IS TRUE" : in);
            }
        }
        if (plan == Plan.NAME_MATCHES_SORTED) {
            args.add(limit + 1);
            // Sorted by an expression no index holds in order (the same order): PostgreSQL reads the
            // matches from the trigram index and keeps the first of them, instead of walking the
            // creation-order index towards matches it assumes are spread evenly. (Sorting by the
            // pair as one row value does the same, four times slower.)
            where = new StringBuilder("d.id IN (SELECT m.id FROM domains m WHERE " + where
                    + " ORDER BY m.created_at + interval '0 s', m.id LIMIT $" + args.size() + ")");
        }
        return page(where, args, limit);
    }

    /** The page of domains that meet {@code where}, in creation order, with their certificates' states. */
    private Uni<List<Listed>> page(StringBuilder where, List<Object> args, int limit) {
        args.add(limit + 1);
        // The rule inlined, judged per row as far as the page needs. PostgreSQL cannot know how few
        // rows pass it and costs the page as if it read most of the table: enough to start its JIT
        // compiler, which took 0.14 s on a page that reads in 4 ms. So the page runs with JIT off
        // (SET LOCAL, which a transaction-pooling proxy passes through).
        String page = "SELECT " + DomainRows.COLUMNS + ", " + DomainRows.CERTIFICATE_STATE + " FROM domains d " + DomainRows.CURRENT_CERTIFICATE
                + " WHERE " + where + " ORDER BY d.created_at, d.id LIMIT $" + args.size();
        return pool.withTransaction(conn -> conn.query("SET LOCAL jit = off").execute()
                        .chain(() -> conn.preparedQuery(page).execute(Tuple.from(args))))
                .map(rows -> {
                    List<Listed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Listed(DomainRows.domain(r), DomainRows.certificateState(r))));
                    return out;
                });
    }
}
