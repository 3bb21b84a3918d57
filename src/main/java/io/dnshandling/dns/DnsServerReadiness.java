package io.dnshandling.dns;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the DNS server is bound with the zone loaded, or when it is disabled. */
@Readiness
@ApplicationScoped
public class DnsServerReadiness implements HealthCheck {

    private final DnsServer server;
    private final Zone zone;

    DnsServerReadiness(DnsServer server, Zone zone) {
        this.server = server;
        this.zone = zone;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("DNS server");
        if (!server.enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        return builder.status(server.bound() && zone.loaded()).build();
    }
}
