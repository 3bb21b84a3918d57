package io.dnshandling.core;

/** The thing asked for does not exist (or is not in a state where it can be reported). */
public class NotFoundException extends ServiceException {

    public NotFoundException(String message) {
        super(message);
    }
}
