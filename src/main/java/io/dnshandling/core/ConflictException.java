package io.dnshandling.core;

/** The request collides with the current state: a name taken, an order already open, a lost race. */
public class ConflictException extends ServiceException {

    public ConflictException(String message) {
        super(message);
    }
}
