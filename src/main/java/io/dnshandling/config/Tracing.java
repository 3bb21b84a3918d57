package io.dnshandling.config;

import java.util.function.UnaryOperator;

/**
 * OpenTelemetry tracing is off unless an OTLP endpoint is configured
 * ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} or {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}):
 * then every request is traced and every log line of it carries {@code traceId} and {@code spanId}.
 * Without an endpoint nothing is recorded and nothing tries to connect anywhere.
 */
public class Tracing extends DerivedSetting {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    public Tracing() {
        this(System::getenv);
    }

    Tracing(UnaryOperator<String> environment) {
        super(SDK_DISABLED, environment);
    }

    @Override
    String derive(UnaryOperator<String> environment) {
        for (String variable : new String[] {"QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}) {
            String value = environment.apply(variable);
            if (value != null && !value.isBlank()) {
                return "false";
            }
        }
        return null;
    }

    @Override
    public String getName() {
        return "OTLP endpoint";
    }
}
