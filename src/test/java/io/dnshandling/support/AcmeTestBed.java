package io.dnshandling.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The world an issuance test runs in, all on loopback: the customer zones (example.com, served
 * by {@link TestDnsServer}), the service's own zone (its built-in DNS server), a recursive
 * resolver that reaches both, and Pebble validating through that resolver.
 */
public final class AcmeTestBed implements AutoCloseable {

    public static final String ZONE = "dns-handling.test";
    public static final String BLOCKED = "blocked-by-ca.example.com";

    public final RecursiveResolver resolver;
    public final PebbleServer pebble;

    private AcmeTestBed(RecursiveResolver resolver, PebbleServer pebble) {
        this.resolver = resolver;
        this.pebble = pebble;
    }

    /** Starts the resolver and Pebble; {@code serviceDnsPort} is where the service's DNS server will listen. */
    public static AcmeTestBed start(int serviceDnsPort, Map<String, String> pebbleEnv, long validitySeconds) {
        return start(serviceDnsPort, pebbleEnv, validitySeconds, Map.of());
    }

    public static AcmeTestBed start(int serviceDnsPort, Map<String, String> pebbleEnv, long validitySeconds, Map<String, String> eabKeys) {
        RecursiveResolver resolver = RecursiveResolver.start(FreePorts.udpAndTcp(), Map.of(
                "example.com", TestDnsResource.server().port(),
                ZONE, serviceDnsPort));
        PebbleServer pebble = PebbleServer.start("127.0.0.1:" + resolver.port(), pebbleEnv, List.of(BLOCKED), validitySeconds, eabKeys);
        return new AcmeTestBed(resolver, pebble);
    }

    /** The service's settings for this world. */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("dns.resolvers", "127.0.0.1:" + resolver.port());
        config.put("dns.lookup-timeout", "3s");
        config.put("acme.directory", pebble.directory());
        config.put("acme.trust-cert", pebble.trustCert());
        config.put("acme.email", "ops@example.com");
        return config;
    }

    /** The same settings as environment variables, for a packaged service process. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new HashMap<>();
        serviceConfig().forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
        return env;
    }

    @Override
    public void close() {
        pebble.close();
        resolver.close();
    }
}
