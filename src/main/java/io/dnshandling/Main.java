package io.dnshandling;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.Config;
import sun.misc.Signal;

/**
 * Entry point. Checks the settings a production start cannot do without before anything else
 * starts, so a missing one is reported in one line instead of a stack trace from deep inside
 * the datasource or Flyway.
 */
@QuarkusMain
public class Main {

    static {
        // The runner jar starts here, not in Quarkus' own entry point: Quarkus' log manager must be
        // named before anything (the settings check below included) touches java.util.logging.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
    }

    public static void main(String... args) {
        List<String> missing = missingSettings(runtimeConfig(System.getenv(), System.getProperties(), System.getProperty("quarkus.profile",
                System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"))));
        if (!missing.isEmpty()) {
            System.err.println("dns-handling: cannot start: " + String.join("; ", missing));
            System.exit(2);
        }
        stopOnTerm();
        Quarkus.run(args);
    }

    /**
     * SIGTERM (Kubernetes stopping the pod) is an orderly stop, not a failure: the graceful shutdown
     * runs as for any stop (readiness 503, work drained, leases released) and the process exits 0
     * rather than the JVM's 143. Where signals cannot be handled, the JVM's default stays.
     */
    private static void stopOnTerm() {
        try {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            System.err.println("dns-handling: SIGTERM keeps the JVM's default handling: " + e.getMessage());
        }
    }

    /**
     * The settings as this process sees them now: its environment, system properties and the
     * packaged application.properties under {@code profile}. Read here, not through Quarkus' config,
     * which a native executable fixed when it was built: settings given only as environment
     * variables (a container, Kubernetes) must count.
     */
    static Config runtimeConfig(Map<String, String> environment, Properties systemProperties, String profile) {
        Map<String, String> properties = new HashMap<>();
        systemProperties.stringPropertyNames().forEach(name -> properties.put(name, systemProperties.getProperty(name)));
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(properties, "system properties", 400));
        URL packaged = Main.class.getClassLoader().getResource("application.properties");
        if (packaged != null) {
            try {
                builder.withSources(new PropertiesConfigSource(packaged, 250));
            } catch (IOException e) {
                System.err.println("dns-handling: application.properties cannot be read: " + e.getMessage());
            }
        }
        return builder.build();
    }

    static List<String> missingSettings(Config config) {
        List<String> missing = new ArrayList<>();
        if (blank(config.getOptionalValue("quarkus.datasource.reactive.url", String.class))) {
            missing.add("QUARKUS_DATASOURCE_REACTIVE_URL is not set (the PostgreSQL database, e.g. postgresql://db:5432/dnshandling)");
        }
        if (blank(config.getOptionalValue("key.encryption.key", String.class))) {
            missing.add("KEY_ENCRYPTION_KEY is not set (base64 of 32 random bytes, e.g. from: head -c 32 /dev/urandom | base64)");
        }
        if (blank(config.getOptionalValue("base.domain", String.class))) {
            missing.add("BASE_DOMAIN is not set (the zone this service is authoritative for, e.g. acme.example.net)");
        }
        boolean tokens = !blank(config.getOptionalValue("auth.tokens", String.class)) || !blank(config.getOptionalValue("auth.token", String.class));
        if (!tokens && !config.getOptionalValue("auth.disabled", Boolean.class).orElse(false)) {
            missing.add("no API token is set: set AUTH_TOKENS (name, sha256 digest and scopes of each token) or AUTH_TOKEN, "
                    + "or AUTH_DISABLED=true to run without authentication");
        }
        return missing;
    }

    private static boolean blank(Optional<String> value) {
        return value.map(String::isBlank).orElse(true);
    }
}
