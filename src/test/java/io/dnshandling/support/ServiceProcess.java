package io.dnshandling.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar target/dns-handling-runner.jar}) as a separate
 * process on its own HTTP and DNS ports, against the test database: a second (third…) replica
 * for the tests that need several, or one that can be killed.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final int dnsPort;
    private final Path log;

    private ServiceProcess(String name, Process process, int httpPort, int managementPort, int dnsPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.dnsPort = dnsPort;
        this.log = log;
    }

    public static ServiceProcess start(String name, Map<String, String> extraEnv) {
        return start(name, extraEnv, List.of());
    }

    /** The same, with {@code jvmOptions} before {@code -jar}. */
    public static ServiceProcess start(String name, Map<String, String> extraEnv, List<String> jvmOptions) {
        String jar = System.getProperty("app.jar", "target/dns-handling-runner.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package' (./mvnw verify)");
        }
        int http = FreePorts.udpAndTcp();
        int management = FreePorts.udpAndTcp();
        int dns = extraEnv.containsKey("DNS_SERVER_PORT") ? Integer.parseInt(extraEnv.get("DNS_SERVER_PORT")) : FreePorts.udpAndTcp();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:5432/dnshandling_test");
        env.put("QUARKUS_DATASOURCE_USERNAME", "dnshandling");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "dnshandling");
        env.put("BASE_DOMAIN", "dns-handling.test");
        // The key of the %test profile, so every replica and the test suite read the same rows.
        env.put("KEY_ENCRYPTION_KEY", "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(http));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("AUTH_DISABLED", "true");
        // The packaged service runs the prod profile; its tests issue more for one name than a CA's budget allows.
        env.put("ACME_REISSUE_COOLDOWN", "0s");
        env.put("ACME_BUDGET_NEW_ORDERS", "0");
        env.put("ACME_BUDGET_PER_REGISTERED_DOMAIN", "0");
        env.put("ACME_BUDGET_DUPLICATES", "0");
        // Replicas here stop without a load balancer to notice: no pause before the drain.
        env.put("SHUTDOWN_DELAY", "0s");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("DNS_SERVER_HOST", "127.0.0.1");
        env.put("DNS_SERVER_PORT", String.valueOf(dns));
        env.putAll(extraEnv);
        try {
            Path logs = Path.of(System.getProperty("it.logs", "target/it-logs"));
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
            if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile="))) {
                command.add("-XX:SharedArchiveFile=" + StartupArchive.of(jar)); // as the image starts
            }
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().putAll(env);
            ServiceProcess service = new ServiceProcess(name, pb.start(), http, management, dns, log);
            service.awaitReady(Duration.ofSeconds(60));
            return service;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public int dnsPort() {
        return dnsPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Health, metrics and OpenAPI. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited early; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100); // polling interval while the process boots, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    public Path log() {
        return log;
    }

    /** Sends SIGTERM, as Kubernetes does, and waits up to {@code within} for the exit; the exit code. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + within + " of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** Ends the process at once, as {@code kill -9} would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
