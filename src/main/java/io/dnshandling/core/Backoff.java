package io.dnshandling.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy of the service: the wait before retry number {@code attempts}
 * (1-based) doubles from {@code first} up to {@code cap}, shortened by up to {@code jitter} of
 * itself at random so that work failing together does not retry together. Orders, renewals and
 * webhooks each use it with their own numbers; where SQL computes a wait it is given the same
 * numbers ({@link #firstSeconds()}, {@link #capSeconds()}, {@link #MAX_DOUBLINGS}).
 */
public record Backoff(Duration first, Duration cap, double jitter) {

    /** Beyond this many doublings every wait is the cap anyway; also keeps the shift in range. */
    public static final int MAX_DOUBLINGS = 20;

    public Backoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap and 0 <= jitter < 1");
        }
    }

    public static Backoff of(Duration first, Duration cap) {
        return new Backoff(first, cap, 0);
    }

    /** The wait before retry number {@code attempts} (1-based; 0 and below count as 1). */
    public Duration delay(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, MAX_DOUBLINGS));
        long ms = Math.min(cap.toMillis(), first.toMillis() << doublings);
        long spread = (long) (ms * jitter);
        return Duration.ofMillis(spread == 0 ? ms : ms - ThreadLocalRandom.current().nextLong(spread));
    }

    public double firstSeconds() {
        return first.toMillis() / 1000.0;
    }

    public double capSeconds() {
        return cap.toMillis() / 1000.0;
    }
}
