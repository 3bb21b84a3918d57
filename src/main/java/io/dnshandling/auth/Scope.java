package io.dnshandling.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do. A request needs exactly one scope, chosen by its route and method (see the http layer). */
public enum Scope {
    /** Read domains, certificates' metadata and chains, DNS records and lookups. */
    DOMAINS_READ,
    /** Register, verify, issue, revoke and delete domains. */
    DOMAINS_WRITE,
    /** Create and delete records in the served zone. */
    DNS_WRITE,
    /** Fetch certificates with their private keys from /tls. */
    CERTIFICATES_DELIVER;

    /** As configured and shown: {@code domains:read}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replaceFirst("_", ":");
    }

    public static Optional<Scope> fromWire(String s) {
        return Arrays.stream(values()).filter(v -> v.wire().equals(s)).findFirst();
    }
}
