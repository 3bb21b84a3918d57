package io.dnshandling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

    @Test
    void an_otlp_endpoint_turns_tracing_on_and_nothing_else_does() {
        assertThat(new Tracing(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")::get).getValue(Tracing.SDK_DISABLED))
                .isEqualTo("false");
        assertThat(new Tracing(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318")::get).getValue(Tracing.SDK_DISABLED))
                .isEqualTo("false");
        assertThat(new Tracing(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", " ")::get).getValue(Tracing.SDK_DISABLED)).isNull();
        assertThat(new Tracing(Map.<String, String>of()::get).getProperties()).isEmpty();
    }
}
