package io.dnshandling.core;

/**
 * A request the service refuses, said in the service's own words. Services throw (or fail a
 * {@code Uni} with) one of its subclasses; only {@code http/} decides which status each becomes.
 */
public abstract class ServiceException extends RuntimeException {

    protected ServiceException(String message) {
        super(message, null, false, false);
    }
}
