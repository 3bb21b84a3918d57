package io.dnshandling.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A real HAProxy (Debian's package) terminating TLS on loopback from a crt-list that holds only a
 * fallback certificate, with its runtime API on a TCP admin socket: everything else it serves, the
 * service puts there through that API.
 */
public final class HaproxyServer implements AutoCloseable {

    private final Path dir;
    private final int tlsPort;
    private final int adminPort;
    private ChildProcess process;

    private HaproxyServer(Path dir, int tlsPort, int adminPort) {
        this.dir = dir;
        this.tlsPort = tlsPort;
        this.adminPort = adminPort;
    }

    public static HaproxyServer start() {
        try {
            Path dir = Files.createTempDirectory("haproxy");
            HaproxyServer server = new HaproxyServer(dir, FreePorts.udpAndTcp(), FreePorts.udpAndTcp());
            var fallback = TestCertificates.selfSignedPem("fallback.invalid", Instant.now().minus(1, ChronoUnit.HOURS),
                    Instant.now().plus(1, ChronoUnit.DAYS));
            Files.writeString(dir.resolve("fallback.pem"), fallback);
            Files.writeString(server.crtList(), dir.resolve("fallback.pem") + "\n");
            Files.writeString(dir.resolve("haproxy.cfg"), """
                    global
                        stats socket 127.0.0.1:%d level admin
                    defaults
                        mode http
                        timeout connect 2s
                        timeout client 10s
                        timeout server 10s
                    frontend tls
                        bind 127.0.0.1:%d ssl crt-list %s
                        http-request return status 200 content-type text/plain string ok
                    """.formatted(server.adminPort, server.tlsPort, server.crtList()));
            server.launch();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException("could not start haproxy: " + e.getMessage(), e);
        }
    }

    private void launch() {
        String binary = ChildProcess.binary("haproxy", List.of("/usr/sbin/haproxy", "/usr/bin/haproxy"));
        process = ChildProcess.start("haproxy", List.of(binary, "-db", "-f", dir.resolve("haproxy.cfg").toString()),
                dir.resolve("haproxy.log"), adminPort);
    }

    /** Kills it and starts it again from its configuration: empty of everything added at run time. */
    public void restartEmpty() {
        process.kill();
        launch();
    }

    public Path crtList() {
        return dir.resolve("certificates.crt-list");
    }

    /** The runtime API address, as DELIVERY_HAPROXY names it. */
    public String adminSocket() {
        return "127.0.0.1:" + adminPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    @Override
    public void close() {
        process.close();
    }
}
