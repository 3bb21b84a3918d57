package io.dnshandling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A scheduled job's failure is the scheduler's to log as an error while the replica runs, and ends
 * the job quietly once it stops: the database pool closes under a job still in flight then (seen
 * as an ERROR line in a stopping replica's log, {@code GracefulShutdownIT}). A run that would start
 * once the stop began is skipped by the scheduler itself.
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

    /**
     * A run that starts after the stop began meets a closing pool, and need not see this bean's
     * flag: a CI run's log held an ERROR of the webhook dispatch ("Pool closed") logged after a
     * test application's shutdown, which {@code quietOnStop} had let through as if the replica were
     * running. The scheduler skips such runs before they start ({@code ApplicationNotRunning}).
     */
    @Test
    void every_scheduled_job_is_skipped_once_the_application_stops() throws IOException {
        Pattern scheduled = Pattern.compile("@Scheduled\\((?:[^()]|\\([^()]*\\))*\\)");
        List<String> jobs = new ArrayList<>();
        List<String> unguarded = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = scheduled.matcher(Files.readString(file));
                while (m.find()) {
                    jobs.add(file.getFileName() + ": " + m.group());
                    if (!m.group().replaceAll("\\s+", " ").contains("skipExecutionIf = Scheduled.ApplicationNotRunning.class")) {
                        unguarded.add(file.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertThat(jobs).as("scheduled jobs in the sources").hasSizeGreaterThanOrEqualTo(13);
        assertThat(unguarded).as("jobs the scheduler would still start during a stop").isEmpty();
    }
}
