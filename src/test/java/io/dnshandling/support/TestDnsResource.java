package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the loopback {@link TestDnsServer} before the service and points the service's resolvers
 * at it. One server for the whole test run; tests publish records under names of their own.
 */
@io.quarkus.test.common.QuarkusTestResource(TestDnsResource.class)
public class TestDnsResource implements QuarkusTestResourceLifecycleManager {

    private static TestDnsServer server;
    private static int builtInPort;

    public static synchronized TestDnsServer server() {
        if (server == null) {
            try {
                server = new TestDnsServer();
            } catch (java.net.SocketException e) {
                throw new IllegalStateException("cannot bind the test DNS server on loopback", e);
            }
        }
        return server;
    }

    /** The port of the service's own DNS server in tests, free on both UDP and TCP. */
    public static synchronized int builtInPort() {
        if (builtInPort == 0) {
            builtInPort = FreePorts.udpAndTcp();
        }
        return builtInPort;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "dns.server.port", String.valueOf(builtInPort()),
                "dns.resolvers", "127.0.0.1:" + server().port(),
                // Short, so the timeout case stays quick; the responder itself answers in microseconds.
                "dns.lookup-timeout", "1s");
    }

    @Override
    public void stop() {
        // Kept for the next application start in this JVM (test profiles restart the service).
    }
}
