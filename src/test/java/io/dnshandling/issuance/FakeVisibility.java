package io.dnshandling.issuance;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** What DNS shows, as a unit test sets it; counts the resolver lookups a step makes. */
final class FakeVisibility implements ChallengeVisibility {

    boolean ownZone = true;
    boolean visible = true;
    int asked;

    @Override
    public boolean servedByOwnZone(ClaimedOrder order, List<Challenge> pending) {
        return ownZone;
    }

    @Override
    public Uni<Boolean> visible(Challenge challenge) {
        asked++;
        return Uni.createFrom().item(visible);
    }
}
