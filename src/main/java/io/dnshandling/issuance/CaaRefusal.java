package io.dnshandling.issuance;

import io.dnshandling.core.InvalidRequestException;

/** CAA forbids one CA to issue for a name: the next CA may be allowed; when none is, the caller gets the 400. */
public class CaaRefusal extends InvalidRequestException {

    public CaaRefusal(String message) {
        super(message);
    }
}
