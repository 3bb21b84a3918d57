package io.dnshandling.core;

import java.util.List;
import java.util.function.Function;

/** A request for one page of a list: how many, after which position. Refused with a 400 when malformed. */
public record Paging(int size, PageCursor after) {

    /** One page of a list, and the cursor to the next page, null on the last. */
    public record Slice<T>(List<T> items, String nextCursor) {
    }

    /** {@code limit} (or {@code byDefault}) within 1 to {@code max}, after the position {@code cursor} names (none when blank). */
    public static Paging of(Integer limit, String cursor, int byDefault, int max) {
        int size = limit == null ? byDefault : limit;
        if (size < 1 || size > max) {
            throw new InvalidRequestException("limit must be between 1 and " + max);
        }
        try {
            return new Paging(size, cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor is not one this service issued");
        }
    }

    /**
     * This page of {@code found}, which was read with one row more than the page holds: that row
     * tells whether there is a next page, whose cursor is the position of this page's last item.
     */
    public <T> Slice<T> cut(List<T> found, Function<T, PageCursor> positionOf) {
        if (found.size() <= size) {
            return new Slice<>(found, null);
        }
        return new Slice<>(found.subList(0, size), positionOf.apply(found.get(size - 1)).encode());
    }
}
