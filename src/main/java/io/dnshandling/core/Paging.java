package io.dnshandling.core;

/** A request for one page of a list: how many, after which position. Refused with a 400 when malformed. */
public record Paging(int size, PageCursor after) {

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
}
