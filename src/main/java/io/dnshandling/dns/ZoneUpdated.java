package io.dnshandling.dns;

/** Fired after the in-memory zone changed: work waiting on our own DNS answers may proceed now. */
public record ZoneUpdated(long serial) {
}
