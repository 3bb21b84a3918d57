package io.dnshandling.issuance;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** Whether the CA would see an order's dns-01 values yet. */
public interface ChallengeVisibility {

    /**
     * Whether the built-in DNS server already serves every value of {@code pending} at the
     * order's delegation target; true when there is no built-in server to wait for.
     */
    boolean servedByOwnZone(ClaimedOrder order, List<Challenge> pending);

    /** Whether the resolvers, as the CA will ask them, return the challenge's value. */
    Uni<Boolean> visible(Challenge challenge);
}
