package io.dnshandling;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class MainTest {

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void a_start_without_database_url_or_zone_names_both() {
        assertThat(Main.missingSettings(config(Map.of())))
                .hasSize(4)
                .anySatisfy(line -> assertThat(line).startsWith("no API token is set"))
                .anySatisfy(line -> assertThat(line).startsWith("KEY_ENCRYPTION_KEY is not set"))
                .anySatisfy(line -> assertThat(line).startsWith("QUARKUS_DATASOURCE_REACTIVE_URL is not set"))
                .anySatisfy(line -> assertThat(line).startsWith("BASE_DOMAIN is not set"));
    }

    @Test
    void blank_values_count_as_missing() {
        assertThat(Main.missingSettings(config(Map.of("quarkus.datasource.reactive.url", " ", "base.domain", "x.example",
                "key.encryption.key", "a2V5", "auth.disabled", "true"))))
                .singleElement().asString().startsWith("QUARKUS_DATASOURCE_REACTIVE_URL");
    }

    @Test
    void a_complete_configuration_starts() {
        assertThat(Main.missingSettings(config(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db:5432/x", "base.domain", "x.example",
                "key.encryption.key", "a2V5", "auth.tokens", "ops sha256:" + "ab".repeat(32) + " domains:read")))).isEmpty();
    }

    @Test
    void a_start_without_any_token_is_refused_unless_authentication_is_disabled_on_purpose() {
        Map<String, String> base = Map.of("quarkus.datasource.reactive.url", "postgresql://db:5432/x", "base.domain", "x.example",
                "key.encryption.key", "a2V5");
        assertThat(Main.missingSettings(config(base))).singleElement().asString().startsWith("no API token is set");
        assertThat(Main.missingSettings(config(with(base, "delivery.token", "only-delivery")))).singleElement().asString()
                .startsWith("no API token is set");
        assertThat(Main.missingSettings(config(with(base, "auth.token", "legacy")))).isEmpty();
        assertThat(Main.missingSettings(config(with(base, "auth.disabled", "true")))).isEmpty();
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }

    @Test
    void the_check_reads_the_environment_of_the_running_process_with_the_packaged_properties() {
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://db:5432/x", "BASE_DOMAIN", "acme.example.net",
                "KEY_ENCRYPTION_KEY", "a2V5", "AUTH_TOKENS", "ops sha256:00 domains:read");
        assertThat(Main.missingSettings(Main.runtimeConfig(env, new java.util.Properties(), "prod"))).isEmpty();
        // Without them, the packaged defaults (empty in prod) do not count as set.
        assertThat(Main.missingSettings(Main.runtimeConfig(Map.of(), new java.util.Properties(), "prod"))).hasSize(4);
        // The dev profile of the packaged properties supplies every one of them.
        assertThat(Main.missingSettings(Main.runtimeConfig(Map.of(), new java.util.Properties(), "dev"))).isEmpty();
    }
}
