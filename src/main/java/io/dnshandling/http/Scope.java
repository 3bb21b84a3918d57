package io.dnshandling.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a token may do. A request needs exactly one scope, chosen by its route and method. */
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

    /** The scope a request needs; none for the operations endpoints under {@code /q}. */
    static Optional<Scope> requiredFor(String method, String path) {
        if (path.equals("/q") || path.startsWith("/q/")) {
            return Optional.empty();
        }
        if (path.equals("/tls") || path.startsWith("/tls/")) {
            return Optional.of(CERTIFICATES_DELIVER);
        }
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        if (read) {
            return Optional.of(DOMAINS_READ);
        }
        return Optional.of(path.equals("/dns/records") || path.startsWith("/dns/records/") ? DNS_WRITE : DOMAINS_WRITE);
    }
}
