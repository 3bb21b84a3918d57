package io.dnshandling.issuance;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Where an ACME order is; {@link OrderSteps} has one case for each open state. */
public enum OrderState {
    /** Over the ordering budget: not yet sent to the CA; sent when the budget allows. */
    QUEUED,
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

    /** The states of an order still in progress: the reconciler's work, one order per domain at most. */
    public static final Set<OrderState> OPEN = EnumSet.of(QUEUED, AWAITING_DNS, VALIDATING, FINALIZING, DOWNLOADING);

    /** The states in which the order's dns-01 values are published for the CA to see. */
    public static final Set<OrderState> PUBLISHING = EnumSet.of(AWAITING_DNS, VALIDATING);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderState fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /**
     * {@code states} as an SQL list of literals ({@code state IN (…)}), for a query that must be
     * able to use an index whose predicate names the same states; a parameter cannot prove it.
     */
    public static String sqlList(Set<OrderState> states) {
        return states.stream().sorted().map(s -> "'" + s.wire() + "'").collect(Collectors.joining(", "));
    }

    /** The wire names of {@code states}, for SQL ({@code state = ANY($n)}). */
    public static String[] wire(Set<OrderState> states) {
        return states.stream().sorted().map(OrderState::wire).toArray(String[]::new);
    }
}
