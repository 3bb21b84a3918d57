package io.dnshandling.core;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Values of the reads that go through the SQL client rather than the ORM. */
public final class RowValues {

    private RowValues() {
    }

    /** The timestamp in {@code column} as an instant; null when the column is null. */
    public static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
