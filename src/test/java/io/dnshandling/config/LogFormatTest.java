package io.dnshandling.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    private static LogFormat with(Map<String, String> env) {
        return new LogFormat(env::get);
    }

    @Test
    void json_turns_the_json_console_on_and_anything_else_off() {
        assertThat(with(Map.of("LOG_FORMAT", "json")).getValue(LogFormat.JSON_ENABLED)).isEqualTo("true");
        assertThat(with(Map.of("LOG_FORMAT", " JSON ")).getValue(LogFormat.JSON_ENABLED)).isEqualTo("true");
        assertThat(with(Map.of("LOG_FORMAT", "text")).getValue(LogFormat.JSON_ENABLED)).isEqualTo("false");
    }

    @Test
    void unset_leaves_the_setting_to_the_properties() {
        assertThat(with(Map.of()).getValue(LogFormat.JSON_ENABLED)).isNull();
        assertThat(with(Map.of()).getProperties()).isEmpty();
        assertThat(with(Map.of("LOG_FORMAT", "json")).getValue("quarkus.log.level")).isNull();
    }
}
