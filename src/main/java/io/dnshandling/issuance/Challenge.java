package io.dnshandling.issuance;

/** One dns-01 challenge of an order: where the CA looks, the value it expects, and how far it is. */
public record Challenge(String id, String authorizationUrl, String challengeUrl, String recordName, String txtValue, String state) {

    public boolean pending() {
        return "pending".equals(state);
    }
}
