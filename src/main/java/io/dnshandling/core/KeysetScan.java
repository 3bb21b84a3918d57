package io.dnshandling.core;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.function.Consumer;

/**
 * Reads every row of a large table a page at a time, in the order of a unique text key, so a
 * reader of a million rows never holds more than one page of them: the PostgreSQL client
 * otherwise gathers a whole result in memory before handing over the first row.
 */
public final class KeysetScan {

    /** Rows per page: large enough that round trips do not dominate, small enough to stay a few megabytes. */
    public static final int PAGE = 10_000;

    private KeysetScan() {
    }

    /**
     * Calls {@code each} with every row of {@code select} (a {@code SELECT … FROM …} that names
     * {@code key} among its columns and has no {@code WHERE}), page by page.
     */
    public static Uni<Void> each(Pool pool, String select, String key, Consumer<Row> each) {
        String page = select + " WHERE " + key + " > $1 ORDER BY " + key + " LIMIT " + PAGE;
        return from(pool, page, key, "", each);
    }

    private static Uni<Void> from(Pool pool, String page, String key, String after, Consumer<Row> each) {
        return pool.preparedQuery(page).execute(Tuple.of(after)).chain(rows -> {
            String last = null;
            for (Row row : rows) {
                each.accept(row);
                last = row.getString(key);
            }
            return rows.size() < PAGE ? Uni.createFrom().voidItem() : from(pool, page, key, last, each);
        });
    }
}
