package io.dnshandling.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * A real recursive resolver on loopback: Debian's unbound, with stub zones sending each zone to
 * the server that is authoritative for it, as the internet's delegations would. The service (and
 * later the ACME CA) resolve through it exactly as they would through a public resolver.
 */
public final class RecursiveResolver implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private RecursiveResolver(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts unbound on {@code port} with one stub zone per entry (zone name to loopback port). */
    public static RecursiveResolver start(int port, Map<String, Integer> stubs) {
        String binary = findUnbound();
        try {
            Path dir = Files.createTempDirectory("unbound");
            StringBuilder conf = new StringBuilder()
                    .append("server:\n")
                    .append("  interface: 127.0.0.1\n")
                    .append("  port: ").append(port).append('\n')
                    .append("  do-daemonize: no\n  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n")
                    .append("  username: \"\"\n  chroot: \"\"\n")
                    .append("  directory: \"").append(dir).append("\"\n")
                    .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                    .append("  do-not-query-localhost: no\n")
                    .append("  access-control: 127.0.0.0/8 allow\n")
                    .append("  module-config: \"iterator\"\n")
                    .append("  qname-minimisation: no\n")
                    .append("  num-threads: 1\n  so-reuseport: no\n")
                    // Tests change records all the time: keep what unbound remembers short.
                    .append("  cache-max-ttl: 1\n  cache-max-negative-ttl: 1\n  infra-host-ttl: 5\n")
                    .append("  do-ip6: no\n")
                    // test. is one of unbound's built-in empty zones (RFC 6761); the service's zone lives under it.
                    .append("  local-zone: \"test.\" nodefault\n");
            stubs.forEach((zone, stubPort) -> conf.append("stub-zone:\n")
                    .append("  name: \"").append(zone).append("\"\n")
                    .append("  stub-addr: 127.0.0.1@").append(stubPort).append('\n'));
            Path file = dir.resolve("unbound.conf");
            Files.writeString(file, conf);
            Process p = new ProcessBuilder(binary, "-d", "-c", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("unbound.log").toFile())
                    .start();
            RecursiveResolver resolver = new RecursiveResolver(p, port, dir);
            resolver.awaitReady();
            return resolver;
        } catch (IOException e) {
            throw new IllegalStateException("could not start unbound", e);
        }
    }

    public int port() {
        return port;
    }

    private void awaitReady() {
        DnsClient client = new DnsClient(port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("unbound exited: " + log());
            }
            // Any answer at all means it is listening; the stub zones need not be up yet.
            Message m = DnsClient.parse(client.udp(DnsClient.query("localhost", Type.A, null).toWire()));
            if (m != null) {
                return;
            }
        }
        throw new IllegalStateException("unbound did not answer on port " + port + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("unbound.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String findUnbound() {
        for (String candidate : List.of("/usr/sbin/unbound", "/usr/local/sbin/unbound", "/usr/bin/unbound")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("unbound is not installed: scripts/test.sh installs it (apt-get install unbound)");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
