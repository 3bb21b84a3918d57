package io.dnshandling.issuance;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** What a step reads or must write before it talks to the CA; {@link OrderStore} in the service. */
public interface OrderRecords {

    Uni<List<Challenge>> challenges(String orderId);

    /** Keeps the (encrypted) certificate key before the CSR goes out; false when the claim was lost. */
    Uni<Boolean> saveKey(ClaimedOrder order, String encryptedKey);
}
