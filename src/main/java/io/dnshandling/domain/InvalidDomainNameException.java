package io.dnshandling.domain;

import io.dnshandling.core.InvalidRequestException;

/** A name that cannot be registered; the message says why and is shown to the caller as is. */
public class InvalidDomainNameException extends InvalidRequestException {

    public InvalidDomainNameException(String message) {
        super(message);
    }
}
