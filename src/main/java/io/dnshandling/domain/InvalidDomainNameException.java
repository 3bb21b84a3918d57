package io.dnshandling.domain;

import io.dnshandling.http.ApiException;

/** A name that cannot be registered; the message says why and is shown to the caller as is. */
public class InvalidDomainNameException extends ApiException {

    public InvalidDomainNameException(String message) {
        super(400, message);
    }
}
