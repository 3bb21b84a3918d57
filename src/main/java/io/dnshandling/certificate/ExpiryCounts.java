package io.dnshandling.certificate;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How many current certificates expire when, as {@link CertificateMetrics} reports it. */
@ApplicationScoped
public class ExpiryCounts {

    private final Pool pool;

    ExpiryCounts(Pool pool) {
        this.pool = pool;
    }

    static final String[] EXPIRY_BUCKETS = {"expired", "1d", "7d", "30d", "90d", "later"};

    /** Current, unrevoked certificates of active domains by bucket, and the soonest notAfter (0: none). */
    record Expiry(Map<String, Long> byBucket, long soonestEpochSecond) {
    }

    /**
     * Read from counts the database keeps per hour of expiry (migration V18), not from the
     * certificates: first the hours with deltas logged since the last read are folded back into
     * one row each (hours without changes are left alone), then each hour is put in its bucket.
     * Only hours a bucket boundary falls in are split by their certificates' exact expiry, so the
     * cost follows the changes and the number of hours, not the number of certificates.
     */
    Uni<Expiry> read() {
        return pool.query("""
                        WITH moved AS (DELETE FROM certificate_expiry_deltas d
                                        USING (SELECT hour FROM certificate_expiry_deltas GROUP BY hour HAVING count(*) > 1) changed
                                        WHERE d.hour = changed.hour RETURNING d.hour, d.n)
                        INSERT INTO certificate_expiry_deltas SELECT hour, sum(n) FROM moved GROUP BY hour HAVING sum(n) <> 0""")
                .execute()
                .chain(() -> pool.query("""
                        WITH hours AS (SELECT hour, sum(n) AS n FROM certificate_expiry_deltas GROUP BY hour HAVING sum(n) > 0),
                             edges AS (SELECT DISTINCT date_trunc('hour', b, 'UTC') AS hour
                                         FROM unnest(ARRAY[now(), now() + interval '1 day', now() + interval '7 days',
                                                           now() + interval '30 days', now() + interval '90 days']) b),
                             timed AS (SELECT hour AS t, n FROM hours WHERE hour NOT IN (SELECT hour FROM edges)
                                       UNION ALL
                                       SELECT not_after, 1 FROM certificate_expiry_counted WHERE hour IN (SELECT hour FROM edges))
                        SELECT COALESCE(sum(n) FILTER (WHERE t <= now()), 0) AS expired,
                               COALESCE(sum(n) FILTER (WHERE t > now() AND t <= now() + interval '1 day'), 0) AS d1,
                               COALESCE(sum(n) FILTER (WHERE t > now() + interval '1 day' AND t <= now() + interval '7 days'), 0) AS d7,
                               COALESCE(sum(n) FILTER (WHERE t > now() + interval '7 days' AND t <= now() + interval '30 days'), 0) AS d30,
                               COALESCE(sum(n) FILTER (WHERE t > now() + interval '30 days' AND t <= now() + interval '90 days'), 0) AS d90,
                               COALESCE(sum(n) FILTER (WHERE t > now() + interval '90 days'), 0) AS later,
                               COALESCE(EXTRACT(EPOCH FROM (SELECT min(not_after) FROM certificate_expiry_counted
                                                             WHERE hour = (SELECT min(hour) FROM hours))), 0)::bigint AS soonest
                          FROM timed""").execute())
                .map(rows -> {
                    Row r = rows.iterator().next();
                    Map<String, Long> buckets = new LinkedHashMap<>();
                    String[] columns = {"expired", "d1", "d7", "d30", "d90", "later"};
                    for (int i = 0; i < columns.length; i++) {
                        buckets.put(EXPIRY_BUCKETS[i], r.getLong(columns[i]));
                    }
                    return new Expiry(buckets, r.getLong("soonest"));
                });
    }

    /** One week of the expiry timeline: its first day (a Monday, UTC) and how many certificates expire in it. */
    public record Week(LocalDate start, long certificates) {
    }

    /**
     * How many current, unrevoked certificates of active domains expire in each of the {@code weeks}
     * weeks from this one (weeks start on Monday, UTC), counting from the current hour on: summed
     * from the per-hour counts, so the cost follows the hours, not the certificates.
     */
    public Uni<List<Week>> byWeek(int weeks) {
        return pool.preparedQuery("""
                        SELECT (date_trunc('week', hour, 'UTC') AT TIME ZONE 'UTC')::date AS week, sum(n) AS n
                          FROM certificate_expiry_deltas
                         WHERE hour >= date_trunc('hour', now(), 'UTC')
                           AND hour < date_trunc('week', now(), 'UTC') + make_interval(weeks => $1)
                         GROUP BY 1""")
                .execute(Tuple.of(weeks))
                .map(rows -> {
                    Map<LocalDate, Long> counted = new HashMap<>();
                    rows.forEach(r -> counted.put(r.getLocalDate("week"), r.getLong("n")));
                    LocalDate first = LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    List<Week> out = new ArrayList<>();
                    for (int i = 0; i < weeks; i++) {
                        LocalDate start = first.plusWeeks(i);
                        out.add(new Week(start, Math.max(0, counted.getOrDefault(start, 0L))));
                    }
                    return out;
                });
    }
}
