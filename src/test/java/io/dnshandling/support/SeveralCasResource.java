package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three CAs, in this order of preference: {@code limited}, which answers every new order with a
 * rate limit; {@code first}, a Pebble that refuses {@link AcmeTestBed#BLOCKED} and names under it;
 * {@code second}, another Pebble with its own roots. Both Pebbles validate through the same
 * resolver. Each CA has its own CAA identity ({@code <name>.test}).
 */
public class SeveralCasResource implements QuarkusTestResourceLifecycleManager {

    private static AcmeTestBed bed;
    private static PebbleServer second;
    private static RateLimitedCa limited;

    public static PebbleServer first() {
        return bed.pebble;
    }

    public static PebbleServer second() {
        return second;
    }

    public static RateLimitedCa limited() {
        return limited;
    }

    @Override
    public Map<String, String> start() {
        bed = AcmeTestBed.start(TestDnsResource.builtInPort(), Map.of(), 90L * 24 * 3600);
        second = PebbleServer.start("127.0.0.1:" + bed.resolver.port(), Map.of(), List.of(), 90L * 24 * 3600);
        limited = new RateLimitedCa(bed.pebble);
        Map<String, String> config = new HashMap<>(bed.serviceConfig());
        config.remove("acme.directory");
        config.put("acme.issuers", "limited,first,second");
        config.put("acme.issuer.limited.directory", limited.directory());
        config.put("acme.issuer.limited.caa-identities", "limited.test");
        config.put("acme.issuer.first.directory", bed.pebble.directory());
        config.put("acme.issuer.first.caa-identities", "first.test");
        config.put("acme.issuer.second.directory", second.directory());
        config.put("acme.issuer.second.trust-cert", second.trustCert());
        config.put("acme.issuer.second.caa-identities", "second.test");
        config.put("acme.txt-timeout", "4s");
        config.put("renewal.check-interval", "1s");
        return config;
    }

    @Override
    public void stop() {
        if (limited != null) {
            limited.close();
        }
        if (second != null) {
            second.close();
        }
        if (bed != null) {
            bed.close();
        }
    }
}
