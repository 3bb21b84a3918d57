package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.certificate.NewCertificate;
import java.time.Duration;

/**
 * What one step of an order decided, for {@link OrderStore#record} to write: the step computes
 * it, one place writes it, every write guarded by the claim token.
 */
public sealed interface StepOutcome {

    /** When the next step is due after an outcome that moved the order on (advanced, triggered, finalized); null after any other. */
    static Duration movedOnAfter(StepOutcome outcome) {
        return outcome instanceof Advance a ? a.after() : outcome instanceof Triggered t ? t.after()
                : outcome instanceof Finalized ? Duration.ZERO : null;
    }

    /** On to {@code next}, due after {@code after}. */
    record Advance(OrderState next, Duration after) implements StepOutcome {
    }

    /** The challenges were triggered at the CA: on to validating, due after {@code after}. */
    record Triggered(Duration after) implements StepOutcome {
    }

    /** The CSR went out (or had gone out already): on to downloading, now. */
    record Finalized() implements StepOutcome {
    }

    /** The same step again after {@code after}, remembering why. */
    record Retry(Duration after, String why) implements StepOutcome {
    }

    /** The order ends as failed, for {@code reason}. */
    record Fail(String reason) implements StepOutcome {
    }

    /** A queued order went to the CA, which opened it: record its URL and challenges and move on. */
    record SentToCa(OpenedOrder opened, String directory, Duration txtTimeout, Duration orderTimeout) implements StepOutcome {
    }

    /** The certificate arrived: store it, close the order, make the domain active. */
    record Stored(NewCertificate certificate) implements StepOutcome {
    }
}
