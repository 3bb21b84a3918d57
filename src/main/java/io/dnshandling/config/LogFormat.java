package io.dnshandling.config;

import java.util.function.UnaryOperator;

/**
 * {@code LOG_FORMAT=json} turns the console log into one JSON object per line (with the request id
 * of every line in its {@code mdc}), for log collectors; anything else keeps the text format.
 */
public class LogFormat extends DerivedSetting {

    static final String JSON_ENABLED = "quarkus.log.console.json.enabled";

    public LogFormat() {
        this(System::getenv);
    }

    LogFormat(UnaryOperator<String> environment) {
        super(JSON_ENABLED, environment);
    }

    @Override
    String derive(UnaryOperator<String> environment) {
        String format = environment.apply("LOG_FORMAT");
        return format == null || format.isBlank() ? null : Boolean.toString("json".equalsIgnoreCase(format.strip()));
    }

    @Override
    public String getName() {
        return "LOG_FORMAT";
    }
}
