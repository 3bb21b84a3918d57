package io.dnshandling.core;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The PostgreSQL client's meters, kept to those that describe the pool. Vert.x makes client
 * metrics for every connection the pool opens, and Quarkus registers two gauges for each under
 * one name and the same tags ({@link #PER_CONNECTION}). The registry keeps the first connection's
 * and refuses the others, with a warning at every start (which application.properties leaves out).
 * So those gauges would only ever report one connection, and they are left out. The timers and the counter
 * ({@code postgresql.queue.delay}, {@code postgresql.processing}, {@code postgresql.completed})
 * are one meter that every connection adds to, and they stay.
 */
@Singleton
public class DatabaseClientMeters {

    static final Set<String> PER_CONNECTION = Set.of("postgresql.queue.size", "postgresql.current");

    @Produces
    @Singleton
    MeterFilter withoutPerConnectionGauges() {
        return MeterFilter.deny(id -> PER_CONNECTION.contains(id.getName()));
    }
}
