package io.dnshandling.acme;

import java.time.Instant;
import java.util.Optional;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * What an error from the CA means for an order: a problem document of the CA's (a 4xx) is final,
 * in the CA's own words; network failures, 5xx and rate limits are worth another try later.
 */
public record AcmeFailure(boolean permanent, String detail, Optional<Instant> retryAfter, boolean rateLimited, String problemType) {

    private static final String ACME_ERROR = "urn:ietf:params:acme:error:";

    public static AcmeFailure of(Throwable failure) {
        Throwable e = failure;
        if (e instanceof AcmeLazyLoadingException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof AcmeRateLimitedException limited) {
            return new AcmeFailure(false, "rate limited: " + AcmeGateway.describe(limited.getProblem()), limited.getRetryAfter(), true, ACME_ERROR + "rateLimited");
        }
        if (e instanceof AcmeServerException server) {
            String type = String.valueOf(server.getType());
            boolean transientType = type.equals(ACME_ERROR + "serverInternal") || type.equals(ACME_ERROR + "badNonce");
            return new AcmeFailure(!transientType, AcmeGateway.describe(server.getProblem()), Optional.empty(), false, type);
        }
        if (e instanceof AcmeNetworkException) {
            return new AcmeFailure(false, "could not reach the CA: " + rootMessage(e), Optional.empty(), false, null);
        }
        if (e instanceof AcmeException) {
            // Protocol surprises and bare HTTP errors (an overloaded CA's 503 page): try again.
            return new AcmeFailure(false, "ACME request failed: " + rootMessage(e), Optional.empty(), false, null);
        }
        return new AcmeFailure(false, "unexpected error: " + rootMessage(e), Optional.empty(), false, null);
    }

    /**
     * Whether another CA might take what this one refused: it could not be reached or failed
     * (network, 5xx), it is rate limiting, or it refuses the names themselves
     * ({@code rejectedIdentifier}, {@code unsupportedIdentifier}, {@code caa}). A refusal about the
     * request or the account would be the same anywhere, and a failed validation means the DNS is
     * wrong, not the CA.
     */
    public boolean anotherCaMayTake() {
        return !permanent || rateLimited || (ACME_ERROR + "rejectedIdentifier").equals(problemType)
                || (ACME_ERROR + "unsupportedIdentifier").equals(problemType) || (ACME_ERROR + "caa").equals(problemType);
    }

    /** For a domain's failure_reason and the order's last error: says who said it. */
    public String reason() {
        return permanent ? "the CA refused: " + detail : detail;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return e == root ? m : (e.getMessage() == null ? m : e.getMessage() + " (" + m + ")");
    }
}
