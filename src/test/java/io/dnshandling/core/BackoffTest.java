package io.dnshandling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doubles_from_the_first_wait_up_to_the_cap() {
        Backoff b = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(10));
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(b.delay(11)).isEqualTo(Duration.ofMinutes(10));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void the_first_retry_is_attempt_one_and_below_counts_as_one() {
        Backoff b = Backoff.of(Duration.ofSeconds(30), Duration.ofHours(6));
        assertThat(b.delay(0)).isEqualTo(b.delay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(-5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitter_only_ever_shortens_and_by_at_most_its_share() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.delay(4)).isBetween(Duration.ofMillis(640), Duration.ofMillis(800));
        }
        long distinct = IntStream.range(0, 200).mapToObj(i -> b.delay(4)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void nonsense_is_refused() {
        assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
