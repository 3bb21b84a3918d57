package io.dnshandling.config;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code LOG_FORMAT=json} turns the console log into one JSON object per line (with the request id
 * of every line in its {@code mdc}), for log collectors; anything else keeps the text format. A
 * configuration source, because the JSON switch is a boolean and operators name a format.
 */
public class LogFormat implements ConfigSource {

    static final String JSON_ENABLED = "quarkus.log.console.json.enabled";

    private final UnaryOperator<String> environment;

    public LogFormat() {
        this(System::getenv);
    }

    LogFormat(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(JSON_ENABLED);
        return value == null ? Map.of() : Map.of(JSON_ENABLED, value);
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String name) {
        if (!JSON_ENABLED.equals(name)) {
            return null;
        }
        String format = environment.apply("LOG_FORMAT");
        if (format == null || format.isBlank()) {
            return null;
        }
        return Boolean.toString("json".equalsIgnoreCase(format.strip()));
    }

    /** Above application.properties (250), below the environment's own settings (300). */
    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "LOG_FORMAT";
    }
}
