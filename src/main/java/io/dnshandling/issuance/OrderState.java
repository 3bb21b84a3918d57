package io.dnshandling.issuance;

import java.util.Locale;

/** Where an ACME order is; the reconciler's switch has one case for each open state. */
public enum OrderState {
    /** Waiting for the challenge TXT value(s) to be visible through the resolvers. */
    AWAITING_DNS,
    /** Challenge triggered; waiting for the CA's verdict on the authorization(s). */
    VALIDATING,
    /** Authorized; the CSR for a fresh key goes to the CA. */
    FINALIZING,
    /** Finalized; waiting for the certificate and downloading it. */
    DOWNLOADING,
    VALID,
    FAILED,
    CANCELLED;

    public boolean open() {
        return this == AWAITING_DNS || this == VALIDATING || this == FINALIZING || this == DOWNLOADING;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
