package io.dnshandling.acme;

import java.util.List;

/**
 * The CA refused a request made on a caller's behalf, or could not be reached: the one wording
 * of that failure for API callers, in the CA's own words when it gave any.
 */
public class CaException extends RuntimeException {

    private CaException(String message) {
        super(message, null, false, false);
    }

    /** {@code failure} of a request to {@code what} (the order, the revocation), worded for the caller. */
    public static CaException of(String what, Throwable failure) {
        if (failure instanceof CaException already) {
            return already;
        }
        AcmeFailure f = AcmeFailure.of(failure);
        return new CaException(f.permanent()
                ? "the ACME CA refused " + what + ": " + f.detail()
                : "the ACME CA could not be used: " + f.detail());
    }

    /** Every configured CA failed {@code what}: each one's reason, in order. */
    public static CaException ofEach(String what, List<String> reasons) {
        return new CaException("no ACME CA took " + what + ": " + String.join("; ", reasons));
    }
}
