package io.dnshandling.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import io.dnshandling.core.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether a domain's current certificate is still good, apart from the domain's status: an
 * active domain whose renewals keep failing can hold an expired or revoked certificate. The
 * database decides it by one rule ({@code certificate_state_of()}, migration V24, through
 * {@link DomainRows#CERTIFICATE_STATE_RULE}), so the list's filter and the single read agree; this
 * is its wire form.
 */
public enum CertificateState {
    VALID,
    RENEWING,
    EXPIRING,
    EXPIRED,
    REVOKED,
    NONE;

    /**
     * Whether few domains are in this state in a healthy fleet, so that a list of them is read from
     * the rows that can hold it (certificate_state_candidates(), migration V23) rather than by
     * judging every domain in turn.
     */
    public boolean rare() {
        return this == EXPIRED || this == EXPIRING || this == REVOKED || this == RENEWING;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code value}; a 400 names the accepted values otherwise. */
    public static CertificateState fromWire(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("certificate_state must be one of "
                    + Arrays.stream(values()).map(CertificateState::wire).collect(Collectors.joining(", ")));
        }
    }
}
