package io.dnshandling.delivery;

import io.dnshandling.auth.Scope;
import io.dnshandling.auth.TokenRefused;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code certificate_deployments{target,state}} (domains per target and state, read from the
 * database after each pass) and {@code tls_key_deliveries_total{result}} (answers of the
 * on-handshake endpoint). Targets come from configuration, so the labels stay bounded.
 */
@ApplicationScoped
public class DeliveryMetrics {

    static final List<String> STATES = List.of("synced", "pending", "failed");

    private final MeterRegistry registry;
    private final DeploymentStore deployments;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** Registered once: the endpoint counts on every handshake of every TLS server that asks. */
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry, DeploymentStore deployments, DeliveryTargets targets) {
        this.registry = registry;
        this.deployments = deployments;
        for (String result : List.of("served", "unknown", "unauthorized")) {
            deliveries.put(result, Counter.builder("tls.key.deliveries").description("Answers of the on-handshake certificate endpoint, by result")
                    .tag("result", result).register(registry));
        }
        for (DeliveryTarget target : targets.all()) {
            for (String state : STATES) {
                AtomicLong value = new AtomicLong();
                gauges.put(target.name() + "|" + state, value);
                Gauge.builder("certificate.deployments", value, AtomicLong::get).description("Domains per delivery target and state")
                        .tag("target", target.name()).tag("state", state).strongReference(true).register(registry);
            }
        }
    }

    /** Counts one answer of the delivery endpoint: {@code served}, {@code unknown} (nothing held for the name) or {@code unauthorized}. */
    public void delivery(String result) {
        Counter counter = deliveries.get(result);
        if (counter == null) {
            throw new IllegalArgumentException("unknown delivery result " + result);
        }
        counter.increment();
    }

    /** A request to /tls refused for its token counts as an unauthorized delivery. */
    void refused(@Observes TokenRefused event) {
        if (event.scope() == Scope.CERTIFICATES_DELIVER) {
            delivery("unauthorized");
        }
    }

    Uni<Void> refresh() {
        return deployments.countByTargetAndState().invoke(counts -> gauges.forEach((key, value) -> {
            int bar = key.indexOf('|');
            value.set(counts.getOrDefault(key.substring(0, bar), Map.of()).getOrDefault(key.substring(bar + 1), 0L));
        })).replaceWithVoid();
    }
}
