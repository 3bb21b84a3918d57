package io.dnshandling.diagnosis;

import static io.dnshandling.core.Phrases.at;
import static io.dnshandling.core.Phrases.span;

import io.dnshandling.diagnosis.DiagnosisFacts.Certificate;
import io.dnshandling.diagnosis.DiagnosisFacts.Facts;
import io.dnshandling.diagnosis.DiagnosisFacts.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks read from what is stored alone: where ownership stands, the latest order, and the
 * current certificate. Pure: the same facts and time give the same sentences.
 */
final class StateChecks {

    private StateChecks() {
    }

    static Check ownership(Facts f, String delegationTarget, Instant now) {
        String verify = "POST /domains/" + f.id() + "/verify";
        return switch (f.status()) {
            case PENDING -> f.claimExpiresAt() != null && !now.isBefore(f.claimExpiresAt())
                    ? Check.problem("ownership", "The registration lapsed unverified at " + at(f.claimExpiresAt()) + ": register the name again.")
                    : Check.problem("ownership", "Not verified yet: once the CNAME _acme-challenge." + f.name() + " -> " + delegationTarget
                            + " is in place, call " + verify + ". The registration lapses unverified at " + at(f.claimExpiresAt()) + ".");
            case FAILED -> Check.problem("ownership", "Issuance failed: " + f.failureReason() + ". Once the cause is fixed, call " + verify
                    + " again, then POST /domains/" + f.id() + "/issue-certificate.");
            case VERIFIED -> Check.problem("ownership", "Verified, but no certificate was asked for: call POST /domains/" + f.id()
                    + "/issue-certificate.");
            case CERTIFICATE_PENDING, ACTIVE -> Check.ok("ownership", "Ownership is verified.");
        };
    }

    /** The latest order, when there is one. */
    static Optional<Check> order(Facts f, Instant now) {
        Order o = f.order();
        if (o == null) {
            return Optional.empty();
        }
        String which = "The " + o.purpose() + " order opened at " + at(o.createdAt());
        String lastProblem = o.lastError() == null ? "" : " Last problem: " + o.lastError() + ".";
        String next = o.nextAttemptAt() == null ? "" : " Next step at " + at(o.nextAttemptAt()) + (o.nextAttemptAt().isAfter(now)
                ? " (in " + span(Duration.between(now, o.nextAttemptAt())) + ")." : " (due now).");
        Check check = switch (o.state()) {
            case "queued" -> Check.ok("order", which + " waits for the ordering budget: it goes to the CA by itself at " + at(o.nextAttemptAt())
                    + (o.lastError() == null ? "." : " (" + o.lastError() + ")."));
            case "awaiting_dns" -> step(o, which + " waits for the resolvers to show its challenge value(s) at _acme-challenge." + f.name()
                    + " (attempt " + o.attempts() + ")." + lastProblem + next);
            case "validating" -> step(o, which + " waits for the CA to validate (attempt " + o.attempts() + ")." + lastProblem + next);
            case "finalizing" -> step(o, which + " is authorized; the certificate request goes to the CA." + lastProblem + next);
            case "downloading" -> step(o, which + " is finalized; the certificate is being downloaded." + lastProblem + next);
            case "failed" -> Check.problem("order", which + " failed: " + o.lastError() + ".");
            case "cancelled" -> Check.ok("order", which + " was cancelled.");
            default -> Check.ok("order", which + " completed.");
        };
        return Optional.of(check);
    }

    private static Check step(Order o, String sentence) {
        return o.lastError() == null ? Check.ok("order", sentence)
                : Check.problem("order", sentence + " The service retries by itself; the problem says what to fix if it does not pass.");
    }

    static Check certificate(Facts f, Instant now) {
        Certificate c = f.certificate();
        String reissue = "POST /domains/" + f.id() + "/issue-certificate";
        if (c == null) {
            return Check.problem("certificate", switch (f.status()) {
                case CERTIFICATE_PENDING -> "No certificate yet: the order above is getting the first one.";
                case ACTIVE -> "No certificate is stored for this active domain: call " + reissue + ".";
                default -> "No certificate yet: see the ownership check.";
            });
        }
        String names = String.join(", ", c.names());
        String left = c.notAfter().isAfter(now) ? " (" + span(Duration.between(now, c.notAfter())) + " left)" : "";
        String failing = c.renewalError() == null ? "" : " Its renewal is failing (attempt " + c.renewalAttempts() + "): " + c.renewalError()
                + "; the next attempt is at " + at(c.renewAt()) + ".";
        return switch (c.state()) {
            case VALID -> Check.ok("certificate", "The certificate for " + names + " is valid until " + at(c.notAfter()) + left
                    + "; its renewal is planned at " + at(c.renewAt()) + ".");
            case RENEWING -> c.renewalError() == null
                    ? Check.ok("certificate", "The certificate for " + names + " is being renewed; it stays valid until " + at(c.notAfter()) + left + ".")
                    : Check.problem("certificate", "The certificate for " + names + " is valid until " + at(c.notAfter()) + left + "." + failing
                            + " Fix what the error names; the service retries by itself.");
            case EXPIRING -> Check.problem("certificate", "The certificate for " + names + " expires at " + at(c.notAfter()) + left
                    + " and is not renewed yet." + failing + " Fix what the error names, or call " + reissue + ".");
            case EXPIRED -> Check.problem("certificate", "The certificate for " + names + " expired at " + at(c.notAfter())
                    + ": clients see a certificate error." + failing + " Fix what the error names, or call " + reissue + ".");
            case REVOKED -> Check.problem("certificate", "The certificate for " + names + " was revoked at " + at(c.revokedAt())
                    + (c.revocationReason() == null ? "" : " (" + c.revocationReason() + ")")
                    + ": clients that check revocation refuse it. Call " + reissue + " for a new one.");
            case NONE -> Check.problem("certificate", "No certificate yet.");
        };
    }
}
