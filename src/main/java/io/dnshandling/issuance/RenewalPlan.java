package io.dnshandling.issuance;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to renew, planned on the certificate's real lifetime (6 days, 45 days, 5 years alike):
 * once {@code ratio} of it remains, moved earlier by up to 5% of the lifetime at random so that
 * certificates issued together do not all renew together. A failed renewal is retried with a
 * backoff that never exceeds a tenth of the time left, so a 6-day certificate is retried within
 * hours, not days.
 */
public final class RenewalPlan {

    static final double JITTER = 0.05;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofHours(6);
    static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private RenewalPlan() {
    }

    public static Instant renewAt(Instant notBefore, Instant notAfter, double ratio, RandomGenerator random) {
        long lifetime = Math.max(0, Duration.between(notBefore, notAfter).toMillis());
        long remaining = (long) (lifetime * ratio);
        long jitter = (long) (lifetime * JITTER * random.nextDouble());
        return notAfter.minusMillis(remaining + jitter);
    }

    /** A random time inside the CA's suggested window (RFC 9773 4.2); now when the window has passed. */
    public static Instant withinWindow(Instant start, Instant end, Instant now, RandomGenerator random) {
        if (!end.isAfter(now)) {
            return now;
        }
        Instant from = start.isAfter(now) ? start : now;
        long span = Math.max(0, Duration.between(from, end).toMillis());
        return from.plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * span));
    }

    /** The wait before retry number {@code attempts} (1-based) of a failed renewal, at {@code now}. */
    public static Duration retryAfter(int attempts, Instant now, Instant notAfter) {
        long exponential = FIRST_RETRY.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long cap = Math.min(MAX_RETRY.toMillis(), Math.max(0, Duration.between(now, notAfter).toMillis()) / 10);
        return Duration.ofMillis(Math.max(MIN_RETRY.toMillis(), Math.min(exponential, cap)));
    }
}
