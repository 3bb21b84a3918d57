package io.dnshandling.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenewalPlanTest {

    static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void renewal_is_planned_when_a_third_of_the_real_lifetime_remains_never_later() {
        for (Duration lifetime : new Duration[] {Duration.ofDays(6), Duration.ofDays(45), Duration.ofDays(90), Duration.ofDays(5 * 365)}) {
            Instant notAfter = ISSUED.plus(lifetime);
            Instant latest = notAfter.minusMillis((long) (lifetime.toMillis() * 0.33));
            Instant earliest = latest.minusMillis((long) (lifetime.toMillis() * RenewalPlan.JITTER));
            Random random = new Random(7);
            for (int i = 0; i < 100; i++) {
                assertThat(RenewalPlan.renewAt(ISSUED, notAfter, 0.33, random)).isBetween(earliest, latest);
            }
        }
    }

    @Test
    void jitter_spreads_certificates_issued_together() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(90));
        Random random = new Random(1);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> RenewalPlan.renewAt(ISSUED, notAfter, 0.33, random)).distinct().count();
        assertThat(distinct).isEqualTo(50);
    }

    @Test
    void a_failed_renewal_of_a_six_day_certificate_is_retried_within_hours() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(6));
        Instant now = notAfter.minus(Duration.ofDays(2)); // renewal due, two days left
        for (int attempt = 1; attempt <= 30; attempt++) {
            assertThat(RenewalPlan.retryAfter(attempt, now, notAfter)).isLessThanOrEqualTo(Duration.ofHours(4).plusMinutes(48));
        }
        assertThat(RenewalPlan.retryAfter(1, now, notAfter)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RenewalPlan.retryAfter(2, now, notAfter)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void close_to_expiry_retries_come_quickly_but_not_in_a_busy_loop() {
        Instant notAfter = ISSUED.plus(Duration.ofDays(90));
        assertThat(RenewalPlan.retryAfter(10, notAfter.minusSeconds(20), notAfter)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RenewalPlan.retryAfter(10, notAfter.plusSeconds(5), notAfter)).isEqualTo(Duration.ofSeconds(1));
    }
}
