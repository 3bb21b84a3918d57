package io.dnshandling.core;

import java.time.Duration;

/** The request comes too soon after an earlier one; it may be made again after {@link #retryAfter()}. */
public class TooManyRequestsException extends ServiceException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
