package io.dnshandling.diagnosis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One finding of a diagnosis: what was checked, how it came out, and a sentence saying what it means and what to do. */
@Schema(name = "DiagnosisCheck")
public record Check(
        @Schema(description = "What was checked: ownership, delegation (of the domain's challenge name), delegation:<name> (of an "
                + "additional name with a challenge name of its own), challenge_values, caa, order, certificate, or delivery:<target>")
        String check,
        @Schema(description = "ok; problem (the message says what to do); unknown (it could not be checked before the deadline)")
        Result result,
        @Schema(description = "A plain sentence: what was found and, for a problem, what to do") String message) {

    /** How a check came out. */
    @Schema(enumeration = {"ok", "problem", "unknown"})
    public enum Result {
        OK,
        PROBLEM,
        UNKNOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Check ok(String check, String message) {
        return new Check(check, Result.OK, message);
    }

    static Check problem(String check, String message) {
        return new Check(check, Result.PROBLEM, message);
    }

    static Check unknown(String check, String message) {
        return new Check(check, Result.UNKNOWN, message);
    }
}
