package io.dnshandling.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DatabaseReadinessTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicReference<Uni<?>> answer = new AtomicReference<>(Uni.createFrom().item(1));
    private final DatabaseReadiness readiness = new DatabaseReadiness(() -> {
        queries.incrementAndGet();
        return answer.get();
    }, clock);

    @Test
    void down_until_the_first_probe_answers() {
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        readiness.probe().await().indefinitely();
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void a_readiness_call_runs_no_query() {
        readiness.probe().await().indefinitely();
        for (int i = 0; i < 1000; i++) {
            assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
        assertThat(queries.get()).isEqualTo(1);
    }

    @Test
    void a_failing_probe_turns_it_down_once_the_last_success_is_stale() {
        readiness.probe().await().indefinitely();
        answer.set(Uni.createFrom().failure(new IllegalStateException("connection refused")));
        now.set(now.get().plusSeconds(5));
        readiness.probe().await().indefinitely();
        assertThat(readiness.call().getStatus()).as("one missed probe is tolerated").isEqualTo(HealthCheckResponse.Status.UP);
        now.set(now.get().plusSeconds(10));
        readiness.probe().await().indefinitely();
        HealthCheckResponse down = readiness.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("error", "IllegalStateException"));
        answer.set(Uni.createFrom().item(1));
        readiness.probe().await().indefinitely();
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void a_probe_that_hangs_counts_as_failed() {
        answer.set(Uni.createFrom().nothing());
        readiness.probe().await().atMost(DatabaseReadiness.PROBE_TIMEOUT.plus(Duration.ofSeconds(5)));
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
