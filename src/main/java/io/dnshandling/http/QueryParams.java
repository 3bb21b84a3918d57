package io.dnshandling.http;

import io.dnshandling.core.InvalidRequestException;

/** Query parameters the resources take as text, so that a malformed one gets the API's own 400 and error body. */
public final class QueryParams {

    private QueryParams() {
    }

    /** {@code raw} as a page size, null when absent; a 400 when it is not a whole number. */
    public static Integer limit(String raw, int max) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit must be a whole number between 1 and " + max);
        }
    }
}
