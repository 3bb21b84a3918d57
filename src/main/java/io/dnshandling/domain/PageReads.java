package io.dnshandling.domain;

import io.dnshandling.core.PageCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The statement that reads one list page by a {@link Plan} {@link DomainPages} chose: its filters
 * written as the plan's indexes can serve them, the current certificate and its state joined to
 * each domain. Reads only.
 */
@ApplicationScoped
class PageReads {

    private final Pool pool;

    PageReads(Pool pool) {
        this.pool = pool;
    }

    /**
     * The hours of expiry (V18's {@code hour}, as certificate_state_candidates() of V23 reads
     * them) that can hold a certificate in each state found through the expiry counts.
     */
    private static final Map<CertificateState, String> EXPIRY_HOURS = Map.of(
            CertificateState.EXPIRED, "e.hour <= now()",
            CertificateState.EXPIRING, "e.hour < now() + interval '7 days'");

    /**
     * The same bound on the current certificate's expiry as the domain keeps it (V34): a
     * certificate in the state ends no later than this.
     */
    private static final Map<CertificateState, String> EXPIRES_BY = Map.of(
            CertificateState.EXPIRED, "now()",
            CertificateState.EXPIRING, "now() + interval '7 days'");

    /**
     * How a page finds its domains: every domain in creation order, each checked against the
     * filters until the page is full ({@code SCAN}); the same with sorting off, where PostgreSQL
     * would rather judge every match and sort them; the same, checking each against the set of rows
     * that can hold a rare certificate state; the counted certificates in their domains' creation
     * order, each of an hour of expiry that can hold the state; the few of those hours read
     * through their index and sorted, each then judged in turn; the few whose names hold the part,
     * sorted, each then judged in turn against a certificate state; or the domains in creation
     * order within the spans whose blocks can hold the part. With a certificate state, every way
     * but the expiry counts reads only domains with a certificate, or only those without (V33).
     */
    enum Plan { SCAN, SCAN_IN_ORDER, SCAN_CHECKING_CANDIDATES, EXPIRY_WALK, EXPIRY_SORTED, NAME_MATCHES_SORTED, NAME_BLOCKS }

    /** Whether a list of {@code state} can be read through the expiry counts (V18, V32). */
    static boolean foundThroughExpiryCounts(CertificateState state) {
        return state != null && EXPIRY_HOURS.containsKey(state);
    }

    /**
     * One page by {@code plan}, after {@code after} when given, of the status, certificate state and
     * name part when given ({@code lookup} for the few matches of a part); one more than
     * {@code limit}, when there are.
     */
    Uni<List<ListedDomain>> page(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after, int limit,
            Plan plan, NameLookup lookup) {
        if (plan == Plan.EXPIRY_SORTED) {
            return expirySorted(status, certificateState, after, limit);
        }
        List<Object> args = new ArrayList<>();
        if (plan == Plan.NAME_BLOCKS) {
            // The page's ids, from the spans of creation time whose blocks hold the part's
            // characters and pairs (V31); the function applies the status and the position itself.
            args.addAll(Arrays.asList(nameContains, status == null ? null : status.wire(),
                    after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC), after == null ? null : after.id(), limit + 1));
            return page(DOMAINS, new StringBuilder("d.id = ANY (ARRAY(SELECT domain_ids_holding($1, $2, $3, $4, $5)))"), args, limit);
        }
        // With the name's matches sorted, the domains' own conditions select their ids first (m),
        // and only those are joined to their certificates (d), in that order.
        String t = plan == Plan.NAME_MATCHES_SORTED ? "m" : "d";
        // Walking the expiry counts, the position is theirs: the same creation time and id.
        String position = plan == Plan.EXPIRY_WALK ? "(e.created_at, e.domain_id)" : "(" + t + ".created_at, " + t + ".id)";
        StringBuilder where = new StringBuilder("TRUE");
        if (status != null) {
            args.add(status.wire());
            where.append(" AND ").append(t).append(".status = $").append(args.size());
        }
        if (plan == Plan.NAME_MATCHES_SORTED) {
            // The lookup's patterns: together they hold exactly the names with the part, and each
            // has a trigram to look up (the part's own LIKE may have none).
            where.append(" AND ").append(lookup.condition("m.domain_name", nameContains, args));
        } else if (nameContains != null) {
            args.add(NameLookup.like(nameContains));
            where.append(" AND ").append(t).append(".domain_name LIKE $").append(args.size());
        }
        if (after != null) {
            // A row comparison, which PostgreSQL turns into an index range; the equivalent OR of
            // two conditions is only a filter, and a page deep into a large list read every row before it.
            args.add(after.createdAt().atOffset(ZoneOffset.UTC));
            args.add(after.id());
            where.append(" AND ").append(position).append(" > ($").append(args.size() - 1).append(", $").append(args.size()).append(')');
        }
        if (certificateState != null && plan != Plan.EXPIRY_WALK) {
            // Every state but none needs a certificate (V33): with a status, an index range of
            // the domains that can be in the state.
            where.append(" AND ").append(t).append(".has_certificate = ").append(certificateState != CertificateState.NONE);
        }
        if (plan == Plan.NAME_MATCHES_SORTED && foundThroughExpiryCounts(certificateState)) {
            // Decided on the matches' own rows as they are read (V34): looking up each one's
            // expiry count by primary key took 17-40 ms for the 5,556 of name=d42 with a
            // certificate. An expiry not filled yet (CertificateExpiryFill) is judged by the rule.
            where.append(" AND (m.certificate_expires_at IS NULL OR m.certificate_expires_at <= ").append(EXPIRES_BY.get(certificateState))
                    .append(')');
        }
        Walk walk = plan == Plan.EXPIRY_WALK ? EXPIRY_COUNTS : plan == Plan.SCAN_IN_ORDER ? DOMAINS_IN_ORDER : DOMAINS;
        if (plan == Plan.NAME_MATCHES_SORTED) {
            // All the few matches when a certificate state is judged on them, else only the page.
            args.add(certificateState == null ? limit + 1 : lookup.fewMatches() + 1);
            // Sorted by an expression no index holds in order (the same order): PostgreSQL reads the
            // matches from the trigram index and keeps the first of them, instead of walking the
            // creation-order index towards matches it assumes are spread evenly. (Sorting by the
            // pair as one row value does the same, four times slower.)
            walk = new Walk("(SELECT m.id, m.created_at + interval '0 s' AS at FROM domains m WHERE " + where
                    + " ORDER BY 2, 1 LIMIT $" + args.size() + ") ids JOIN domains d ON d.id = ids.id", "ids.at, ids.id", DOMAINS.settings());
            where = new StringBuilder("TRUE");
        }
        if (certificateState != null) {
            args.add(certificateState.wire());
            where.append(" AND ").append(DomainRows.CERTIFICATE_STATE_RULE).append(" = $").append(args.size());
            if (plan == Plan.EXPIRY_WALK) {
                where.append(" AND ").append(EXPIRY_HOURS.get(certificateState));
            } else if (certificateState.rare() && plan != Plan.NAME_MATCHES_SORTED) {
                // Found through the rows that can hold it (V23), not by judging every domain in turn.
                // IS TRUE keeps PostgreSQL from turning the set into a join: it stays a hashed set
                // that the scan in creation order checks.
                String in = "d.id IN (SELECT domain_id FROM certificate_state_candidates($" + args.size() + "))";
                where.append(" AND ").append(plan == Plan.SCAN_CHECKING_CANDIDATES ? "(" + in + ") IS TRUE" : in);
            }
        }
        return page(walk, where, args, limit);
    }

    /**
     * A page of expired or expiring certificates from their few counted certificates: those of the
     * hours that can hold the state, read through the index of hours (V18) and sorted by their
     * domains' creation (kept beside them, V32), then joined to their domains in that order and
     * judged until the page is full. Walking the counted certificates in creation order passed
     * about 70,000 of them for a page of 200 of the 944 expired at a million domains (32-57 ms);
     * these sorted first took 8 ms. Sorted by an expression no index holds, as the name's matches
     * are, so that PostgreSQL sorts the few instead of walking the creation-order index.
     */
    private Uni<List<ListedDomain>> expirySorted(DomainStatus status, CertificateState state, PageCursor after, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder hours = new StringBuilder(EXPIRY_HOURS.get(state));
        if (after != null) {
            args.add(after.createdAt().atOffset(ZoneOffset.UTC));
            args.add(after.id());
            hours.append(" AND (e.created_at, e.domain_id) > ($1, $2)");
        }
        StringBuilder where = new StringBuilder("TRUE");
        if (status != null) {
            args.add(status.wire());
            where.append(" AND d.status = $").append(args.size());
        }
        args.add(state.wire());
        where.append(" AND ").append(DomainRows.CERTIFICATE_STATE_RULE).append(" = $").append(args.size());
        Walk sorted = new Walk("(SELECT e.domain_id AS id, e.created_at + interval '0 s' AS at FROM certificate_expiry_counted e WHERE " + hours
                + " ORDER BY 2, 1) ids JOIN domains d ON d.id = ids.id", "ids.at, ids.id", DOMAINS.settings());
        return page(sorted, where, args, limit);
    }

    /** The domains in creation order, each checked as it comes. */
    private static final Walk DOMAINS = new Walk("domains d", "d.created_at, d.id", "SET LOCAL jit = off");

    /**
     * The same, with sorting off for the transaction. From a position halfway down the list,
     * PostgreSQL expected too few of the rest to pass the certificate's rule and read all 55,000
     * domains after it that held {@code d4} to sort them (470 ms, against 7 ms in order).
     */
    private static final Walk DOMAINS_IN_ORDER = new Walk("domains d", "d.created_at, d.id",
            "SELECT set_config('jit', 'off', true), set_config('enable_sort', 'off', true)");

    /**
     * The counted certificates in their domains' creation order, through the index that holds
     * each one's hour of expiry (V32), each joined to its domain by primary key. PostgreSQL expects
     * few of them in the state asked for and would join all and sort them (0.7 s for 40,000): with
     * sorting off for the transaction, it walks the index and stops at a full page (6 ms).
     */
    private static final Walk EXPIRY_COUNTS = new Walk("certificate_expiry_counted e JOIN domains d ON d.id = e.domain_id",
            "e.created_at, e.domain_id", "SELECT set_config('jit', 'off', true), set_config('enable_sort', 'off', true)");

    /** Where a page reads its domains from, in creation order, and the settings it reads them under. */
    private record Walk(String from, String order, String settings) {
    }

    /** The page of domains that meet {@code where}, in creation order, with their certificates' states. */
    private Uni<List<ListedDomain>> page(Walk walk, StringBuilder where, List<Object> args, int limit) {
        args.add(limit + 1);
        // The rule inlined, judged per row as far as the page needs. PostgreSQL cannot know how few
        // rows pass it and costs the page as if it read most of the table: enough to start its JIT
        // compiler, which took 0.14 s on a page that reads in 4 ms. So the page runs with JIT off
        // (SET LOCAL, which a transaction-pooling proxy passes through).
        String page = "SELECT " + DomainRows.COLUMNS + ", " + DomainRows.CERTIFICATE_STATE + " FROM " + walk.from() + " "
                + DomainRows.CURRENT_CERTIFICATE + " WHERE " + where + " ORDER BY " + walk.order() + " LIMIT $" + args.size();
        return pool.withTransaction(conn -> conn.query(walk.settings()).execute()
                        .chain(() -> conn.preparedQuery(page).execute(Tuple.from(args))))
                .map(rows -> {
                    List<ListedDomain> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new ListedDomain(DomainRows.domain(r), DomainRows.certificateState(r))));
                    return out;
                });
    }
}
