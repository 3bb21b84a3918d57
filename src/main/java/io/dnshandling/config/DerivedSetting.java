package io.dnshandling.config;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A configuration source for one setting derived from the environment, where operators name
 * something other than the setting itself ({@link LogFormat}, {@link Tracing}). It sits above
 * application.properties (250) and below the environment's own settings (300), and says nothing
 * when its environment variable is not set.
 */
abstract class DerivedSetting implements ConfigSource {

    private final String property;
    private final UnaryOperator<String> environment;

    DerivedSetting(String property, UnaryOperator<String> environment) {
        this.property = property;
        this.environment = environment;
    }

    /** The setting's value for this environment, or null to leave it to the other sources. */
    abstract String derive(UnaryOperator<String> environment);

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(property);
        return value == null ? Map.of() : Map.of(property, value);
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String name) {
        return property.equals(name) ? derive(environment) : null;
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
