package io.dnshandling.issuance;

import io.dnshandling.acme.Issuers;
import io.dnshandling.core.Draining;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators watch about orders: {@code certificates_issuance_total{purpose,result,issuer}}, the
 * time from order to certificate, and open orders by state ({@code acme_orders_open{state}}),
 * read from the database so every replica reports the same.
 */
@ApplicationScoped
public class OrderMetrics {

    private final OrderQueries store;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<OrderState, AtomicLong> open = new EnumMap<>(OrderState.class);

    private final Issuers issuers;
    private final Draining draining;

    OrderMetrics(OrderQueries store, MeterRegistry registry, Clock clock, Issuers issuers, Draining draining) {
        this.issuers = issuers;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.draining = draining;
        for (OrderState state : OrderState.OPEN) {
            AtomicLong value = new AtomicLong();
            open.put(state, value);
            Gauge.builder("acme.orders.open", value, AtomicLong::get).description("Open orders by state").tag("state", state.wire())
                    .register(registry);
        }
    }

    /** Counts an order that ended ({@code valid} or {@code failed}) and, for a certificate, how long it took. */
    void ended(ClaimedOrder o, String result) {
        String issuer = o.directory() == null ? "none" : issuers.of(o.directory()).name();
        Counter.builder("certificates.issuance").description("Orders completed, by purpose (issue, reissue, renewal), result and issuer")
                .tag("purpose", o.purpose()).tag("result", result).tag("issuer", issuer).register(registry).increment();
        if ("valid".equals(result) && o.createdAt() != null) {
            Timer.builder("certificates.issuance.duration").description("Time from opening an order to the stored certificate")
                    .tag("purpose", o.purpose()).tag("issuer", issuer).publishPercentileHistogram()
                    .register(registry).record(Duration.between(o.createdAt().toInstant(), clock.instant()));
        }
    }

    void start(@Observes StartupEvent event) {
        refresh().subscribe().with(v -> { }, e -> { });
    }

    @Scheduled(every = "15s", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledRefresh() {
        return draining.quietOnStop("open-order gauges", refresh());
    }

    public Uni<Void> refresh() {
        return store.countOpenByState()
                .invoke(counts -> open.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L))))
                .replaceWithVoid();
    }
}
