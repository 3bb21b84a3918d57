package io.dnshandling.certificate;

import io.dnshandling.acme.CertificateAuthority.Issued;
import io.dnshandling.acme.CertificateChains;
import io.dnshandling.core.Backoff;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    /** Retries of a failed renewal, before the cap by the time left. */
    static final Backoff RETRY = Backoff.of(Duration.ofSeconds(30), Duration.ofHours(6));
    static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private RenewalPlan() {
    }

    /**
     * {@code issued} as it is to be stored, with its renewal planned: inside the CA's renewal
     * window when it offers one (RFC 9773), on the lifetime {@code ratio} otherwise.
     */
    public static NewCertificate plan(String id, Issued issued, String keyPem, double ratio, Instant now, RandomGenerator random) {
        X509Certificate leaf = issued.leaf();
        Instant renewAt = issued.renewalWindow()
                .map(w -> withinWindow(w.start(), w.end(), now, random))
                .orElseGet(() -> renewAt(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), ratio, random));
        return new NewCertificate(id, issued.chainPem(), keyPem, leaf.getSerialNumber().toString(16),
                leaf.getIssuerX500Principal().getName(), utc(leaf.getNotBefore().toInstant()), utc(leaf.getNotAfter().toInstant()),
                utc(renewAt), issued.renewalWindow().isPresent() ? "ari" : "ratio", CertificateChains.dnsNames(leaf));
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
        long cap = Math.max(0, Duration.between(now, notAfter).toMillis()) / 10;
        return Duration.ofMillis(Math.max(MIN_RETRY.toMillis(), Math.min(RETRY.delay(attempts).toMillis(), cap)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
