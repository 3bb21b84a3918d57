package io.dnshandling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A scheduled job's failure is the scheduler's to log as an error while the replica runs, and ends
 * the job quietly once it stops: the database pool closes under a job still in flight then (seen
 * as an ERROR line in a stopping replica's log, {@code GracefulShutdownIT}).
 */
class DrainingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void a_jobs_failure_reaches_the_scheduler_while_running_and_ends_the_job_quietly_once_stopping() {
        Draining draining = new Draining(Duration.ofSeconds(1));
        AtomicInteger runs = new AtomicInteger();
        Uni<Void> failing = Uni.createFrom().item(runs::incrementAndGet).chain(n -> Uni.createFrom().failure(new IllegalStateException("Pool closed")));

        assertThatThrownBy(() -> draining.quietOnStop("job", failing).await().atMost(WAIT)).hasMessage("Pool closed");

        draining.shuttingDown(new ShutdownEvent());
        assertThat(draining.draining()).isTrue();
        assertThat(draining.quietOnStop("job", failing).await().atMost(WAIT)).isNull();
        assertThat(runs).as("the work ran both times").hasValue(2);
        assertThat(draining.quietOnStop("job", Uni.createFrom().voidItem()).await().atMost(WAIT)).isNull();
    }
}
