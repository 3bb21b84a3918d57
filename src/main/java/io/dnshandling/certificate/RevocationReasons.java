package io.dnshandling.certificate;

import io.dnshandling.core.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.shredzone.acme4j.RevocationReason;

/** RFC 5280 revocation reasons as the API names them: snake case ({@code key_compromise}). */
public final class RevocationReasons {

    private RevocationReasons() {
    }

    /** The reason named {@code name}; unspecified when absent; an invalid request otherwise. */
    public static RevocationReason parse(String name) {
        if (name == null || name.isBlank()) {
            return RevocationReason.UNSPECIFIED;
        }
        try {
            return RevocationReason.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("reason must be one of " + Arrays.stream(RevocationReason.values())
                    .map(RevocationReasons::wire).collect(Collectors.joining(", ")));
        }
    }

    public static String wire(RevocationReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
