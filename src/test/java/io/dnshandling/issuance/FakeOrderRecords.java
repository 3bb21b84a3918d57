package io.dnshandling.issuance;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** The order's rows as a unit test sets them: its challenges, and the key a step keeps. */
final class FakeOrderRecords implements OrderRecords {

    List<Challenge> challenges = List.of();
    String savedKey;
    boolean saveSucceeds = true;

    @Override
    public Uni<List<Challenge>> challenges(String orderId) {
        return Uni.createFrom().item(challenges);
    }

    @Override
    public Uni<Boolean> saveKey(ClaimedOrder order, String encryptedKey) {
        if (saveSucceeds) {
            savedKey = encryptedKey;
        }
        return Uni.createFrom().item(saveSucceeds);
    }
}
