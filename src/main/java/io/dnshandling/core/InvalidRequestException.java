package io.dnshandling.core;

/** The input is invalid, or the thing asked for is in a state that does not allow it. */
public class InvalidRequestException extends ServiceException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
