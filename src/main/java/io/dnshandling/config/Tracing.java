package io.dnshandling.config;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * OpenTelemetry tracing is off unless an OTLP endpoint is configured
 * ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} or {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}):
 * then every request is traced and every log line of it carries {@code traceId} and {@code spanId}.
 * Without an endpoint nothing is recorded and nothing tries to connect anywhere.
 */
public class Tracing implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    private final UnaryOperator<String> environment;

    public Tracing() {
        this(System::getenv);
    }

    Tracing(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(SDK_DISABLED);
        return value == null ? Map.of() : Map.of(SDK_DISABLED, value);
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String name) {
        if (!SDK_DISABLED.equals(name)) {
            return null;
        }
        boolean endpoint = set("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT") || set("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        return endpoint ? "false" : null;
    }

    private boolean set(String variable) {
        String value = environment.apply(variable);
        return value != null && !value.isBlank();
    }

    /** Above application.properties (250), below the environment's own settings (300). */
    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "OTLP endpoint";
    }
}
