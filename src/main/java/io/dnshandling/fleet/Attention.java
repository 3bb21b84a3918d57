package io.dnshandling.fleet;

import static io.dnshandling.core.Phrases.at;
import static io.dnshandling.core.Phrases.span;

import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Whether a domain needs someone's attention, why, and since when, most urgent first: a
 * certificate that expired, was revoked or expires within days; a renewal that keeps failing; an
 * order stuck at one step; a failed domain. Pure: the same facts and time give the same item.
 */
public final class Attention {

    /** Why a domain is listed, most urgent first. */
    public enum Reason {
        CERTIFICATE_EXPIRED,
        CERTIFICATE_REVOKED,
        CERTIFICATE_EXPIRING,
        RENEWAL_FAILING,
        ORDER_STUCK,
        DOMAIN_FAILED
    }

    /** What the summary read about a candidate. */
    record Facts(String id, String name, DomainStatus status, CertificateState certificateState, String failureReason, Instant updatedAt,
            Instant notAfter, Instant revokedAt, String renewalError, Instant renewalFailingSince, String orderState, String orderPurpose,
            String orderError, Instant orderCreatedAt) {
    }

    /** A domain that needs attention: why, in a sentence, and since when (null when not known). */
    public record Item(String domainId, String domainName, DomainStatus status, CertificateState certificateState, Reason reason,
            String problem, Instant since) {
    }

    /** How long an open order may run before it counts as stuck, errors or not. */
    static final Duration STUCK_AFTER = Duration.ofHours(1);

    static final Comparator<Item> ORDER = Comparator.comparing(Item::reason)
            .thenComparing(Item::since, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Item::domainName);

    private Attention() {
    }

    static Optional<Item> of(Facts f, Instant now) {
        String failing = f.renewalError() == null ? "" : "; its renewal fails: " + f.renewalError();
        if (f.status() == DomainStatus.ACTIVE) {
            switch (f.certificateState()) {
                case EXPIRED -> {
                    return item(f, Reason.CERTIFICATE_EXPIRED, "The certificate expired at " + at(f.notAfter()) + failing + ".", f.notAfter());
                }
                case REVOKED -> {
                    return item(f, Reason.CERTIFICATE_REVOKED, "The certificate was revoked at " + at(f.revokedAt()) + ".", f.revokedAt());
                }
                case EXPIRING -> {
                    return item(f, Reason.CERTIFICATE_EXPIRING, "The certificate expires at " + at(f.notAfter()) + ", in "
                            + span(Duration.between(now, f.notAfter())) + ", and is not renewed yet" + failing + ".", f.renewalFailingSince());
                }
                default -> {
                    if (f.renewalError() != null) {
                        return item(f, Reason.RENEWAL_FAILING, "Its renewal fails: " + f.renewalError() + ". The certificate stays valid until "
                                + at(f.notAfter()) + ".", f.renewalFailingSince());
                    }
                }
            }
        }
        if (f.orderState() != null && (f.orderError() != null || f.orderCreatedAt().isBefore(now.minus(STUCK_AFTER)))) {
            return item(f, Reason.ORDER_STUCK, "The " + f.orderPurpose() + " order has been open since " + at(f.orderCreatedAt()) + ", now at "
                    + f.orderState() + (f.orderError() == null ? "." : "; last problem: " + f.orderError() + "."), f.orderCreatedAt());
        }
        if (f.status() == DomainStatus.FAILED) {
            return item(f, Reason.DOMAIN_FAILED, "Issuance failed: " + f.failureReason() + ".", f.updatedAt());
        }
        return Optional.empty();
    }

    private static Optional<Item> item(Facts f, Reason reason, String problem, Instant since) {
        return Optional.of(new Item(f.id(), f.name(), f.status(), f.certificateState(), reason, problem, since));
    }
}
