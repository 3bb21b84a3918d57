package io.dnshandling.certificate;

import io.dnshandling.core.Draining;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators watch about certificates, read from counts the database keeps (so every replica
 * reports the same, at a cost that does not grow with the fleet): current certificates by time
 * left ({@code certificates_expiring{within}}) and the soonest expiry as a timestamp. Bounded
 * labels only.
 */
@ApplicationScoped
public class CertificateMetrics {

    private final ExpiryCounts counts;
    private final Map<String, AtomicLong> expiring = new LinkedHashMap<>();
    private final AtomicLong soonest = new AtomicLong();
    private final Timer reads;
    private final Draining draining;

    CertificateMetrics(ExpiryCounts counts, MeterRegistry metrics, Draining draining) {
        this.counts = counts;
        this.draining = draining;
        for (String bucket : ExpiryCounts.EXPIRY_BUCKETS) {
            AtomicLong value = new AtomicLong();
            expiring.put(bucket, value);
            Gauge.builder("certificates.expiring", value, AtomicLong::get)
                    .description("Current certificates by time left until notAfter (1d: within a day, later: beyond 90 days)")
                    .tag("within", bucket).register(metrics);
        }
        Gauge.builder("certificates.soonest.expiry", soonest, AtomicLong::get).baseUnit("seconds")
                .description("notAfter of the certificate that expires first, as Unix time (0: none)").register(metrics);
        reads = Timer.builder("certificates.expiry.read").description("Time to read the expiry counts behind these gauges")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        refresh().subscribe().with(v -> { }, e -> { });
    }

    @Scheduled(every = "15s", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledRefresh() {
        return draining.quietOnStop("expiry gauges", refresh());
    }

    public Uni<Void> refresh() {
        Timer.Sample sample = Timer.start();
        return counts.read().invoke(e -> {
            sample.stop(reads);
            e.byBucket().forEach((bucket, n) -> expiring.get(bucket).set(n));
            soonest.set(e.soonestEpochSecond());
        }).replaceWithVoid();
    }
}
