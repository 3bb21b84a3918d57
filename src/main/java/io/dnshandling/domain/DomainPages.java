package io.dnshandling.domain;

import io.dnshandling.core.PageCursor;
import io.dnshandling.domain.PageReads.Plan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
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
    private final PageReads reads;
    private final NameCounts nameCounts;

    DomainPages(Pool pool, PageReads reads, NameCounts nameCounts) {
        this.pool = pool;
        this.reads = reads;
        this.nameCounts = nameCounts;
    }

    /**
     * One page of domains in creation order, after the position {@code (createdAt, id)} when given,
     * of one status, certificate state and name part when given; fetches one more than
     * {@code limit} so the caller knows whether a next page exists.
     */
    Uni<List<ListedDomain>> page(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after, int limit) {
        NameLookup lookup = nameContains == null ? null : NameLookup.of(nameContains);
        if (certificateState == null && nameContains != null) {
            // A part pg_trgm can find is looked up in the trigram index (V26), and a few matches are
            // read from it and sorted (4 ms for 11,000 at a million domains). Many are found in
            // creation order, reading only the spans whose blocks can hold the part (V31): a scan of
            // every domain read half a million to reach matches that all sat late (80 ms), and all
            // of them for a part no name holds (0.5 s). Counted up to the lookup's bound first.
            return byName(status, null, nameContains, after, limit, lookup, known(Plan.NAME_BLOCKS));
        }
        if (certificateState == null) {
            return reads.page(status, null, null, after, limit, Plan.SCAN, null);
        }
        boolean counted = PageReads.foundThroughExpiryCounts(certificateState);
        if (counted && status != null && status != DomainStatus.ACTIVE) {
            // Expired and expiring certificates are found through the expiry counts, which hold
            // the certificates of active domains only (V18): no other status has one to list.
            return Uni.createFrom().item(List.of());
        }
        if (!certificateState.rare() && nameContains != null) {
            return byName(status, certificateState, nameContains, after, limit, lookup, known(Plan.SCAN_IN_ORDER));
        }
        if (!certificateState.rare()) {
            return reads.page(status, certificateState, null, after, limit, Plan.SCAN, null);
        }
        if (counted && nameContains != null) {
            // A part's few matches carry their certificates' expiry (V34), so they are judged as
            // they are read whatever the number of candidates, which is counted only beside a part
            // many names hold: up to a scan's worth are joined, each checked for the part; more
            // are walked from the part's first match. Walking a thousand expired among half a
            // million counted certificates from the first domain holding d4 read them all (47 ms,
            // against 14 ms joined).
            return byName(status, certificateState, nameContains, after, limit, lookup,
                    candidates(certificateState).map(n -> n <= MANY_CANDIDATES ? Plan.SCAN : Plan.EXPIRY_WALK));
        }
        // How many rows can hold the state decides how to find them: a few are joined by primary
        // key and sorted; many are a set the scan in creation order checks each domain against,
        // which stops at a full page; expiring or expired certificates are sorted when few and
        // walked in their domains' creation order when many. A join of many sorts them all: 0.6 s
        // for 39,000 at a million domains, against 43 ms; a scan for a few reads the whole table:
        // 365 ms against 15 ms. Beside a part of a name (revoked or renewing here), more than a
        // join's worth of them give way to a part few names hold.
        return candidates(certificateState).chain(n -> {
            Plan byState = counted ? (n > SORTED_CANDIDATES ? Plan.EXPIRY_WALK : Plan.EXPIRY_SORTED)
                    : n > MANY_CANDIDATES ? Plan.SCAN_CHECKING_CANDIDATES : Plan.SCAN;
            return nameContains == null || n <= JOINED_CANDIDATES ? reads.page(status, certificateState, nameContains, after, limit, byState, null)
                    : byName(status, certificateState, nameContains, after, limit, lookup, known(byState));
        });
    }

    /** How many rows can hold a rare certificate state (V23), counted up to one more than {@link #MANY_CANDIDATES}. */
    private Uni<Long> candidates(CertificateState state) {
        return count("SELECT count(*) AS n FROM (SELECT 1 FROM certificate_state_candidates($1) LIMIT $2) x",
                Tuple.of(state.wire(), MANY_CANDIDATES + 1));
    }

    private static Uni<Plan> known(Plan plan) {
        return Uni.createFrom().item(plan);
    }

    /**
     * The page through the part's few matches, read from the trigram index and sorted, each judged
     * in that order against the other filters; by the plan {@code otherwise} gives (asked only
     * then) when more names than the lookup's bound hold the part, or it has no lookup: the name
     * blocks alone; beside a certificate state, the join of the state's few candidates, or the
     * state's own way from the part's first match.
     */
    private Uni<List<ListedDomain>> byName(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after, int limit,
            NameLookup lookup, Uni<Plan> otherwise) {
        Uni<Boolean> many = lookup == null ? Uni.createFrom().item(true) : nameCounts.many(nameContains, lookup);
        return many.chain(m -> !m ? reads.page(status, certificateState, nameContains, after, limit, Plan.NAME_MATCHES_SORTED, lookup)
                : otherwise.chain(plan -> plan == Plan.NAME_BLOCKS ? reads.page(status, null, nameContains, after, limit, Plan.NAME_BLOCKS, null)
                        : plan == Plan.SCAN ? reads.page(status, certificateState, nameContains, after, limit, Plan.SCAN, null)
                        : fromFirstMatch(status, certificateState, nameContains, after, limit, plan)));
    }

    /**
     * A certificate state beside a part many names hold, by {@code plan} from the part's first
     * match, which the name blocks (V31) find; none, an empty page. The matches of a part can begin
     * late: for {@code name=d4&certificate_state=none} at a million domains, the scan from the
     * start read half the domains first (77 ms), and the walk of the expiry counts for
     * {@code certificate_state=expiring} half of them (158 ms).
     */
    private Uni<List<ListedDomain>> fromFirstMatch(DomainStatus status, CertificateState certificateState, String nameContains, PageCursor after,
            int limit, Plan plan) {
        return pool.preparedQuery(FIRST_MATCH)
                .execute(Tuple.from(Arrays.asList(nameContains, status == null ? null : status.wire(),
                        after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC), after == null ? null : after.id())))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(List.<ListedDomain>of());
                    }
                    Instant first = rows.iterator().next().getOffsetDateTime("created_at").toInstant();
                    // Just before the first match: no domain before it holds the part.
                    PageCursor from = after != null && !after.createdAt().isBefore(first) ? after : new PageCursor(first, "");
                    return reads.page(status, certificateState, nameContains, from, limit, plan, null);
                });
    }

    private static final String FIRST_MATCH = "SELECT created_at FROM domains WHERE id = ANY (ARRAY(SELECT domain_ids_holding($1, $2, $3, $4, 1)))";

    /**
     * Up to this many expired or expiring certificates (no part of a name asked), a list of them
     * sorts them through the index of hours before joining them (8 ms for 944 expired at a million
     * domains, where the walk took 32-57 ms and the join of each about 15 µs a candidate). The
     * sort grows with the candidates and the walk shrinks (about 0.15 µs for each counted
     * certificate it passes, one in (candidates / counted) of them a match): at half a million
     * counted they meet near 3,000.
     */
    static final int SORTED_CANDIDATES = 2_000;

    /** Above this many rows that can hold a rare certificate state, a list of it scans instead of joining. */
    static final int MANY_CANDIDATES = 5_000;

    /**
     * Beside a part of a name, up to this many rows that can hold a revoked or renewing certificate
     * are joined, each checked for the part; more give way to the part's own way, when few names
     * hold it. The join costs about 15 µs a candidate.
     */
    static final int JOINED_CANDIDATES = 1_000;

    private Uni<Long> count(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> rows.iterator().next().getLong("n"));
    }
}
