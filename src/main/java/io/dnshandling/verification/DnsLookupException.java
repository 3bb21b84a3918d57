package io.dnshandling.verification;

/** The resolvers could not give an answer (timeout, SERVFAIL, REFUSED, broken response). */
public class DnsLookupException extends RuntimeException {

    public DnsLookupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
