package io.dnshandling.delivery;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a TLS terminator needs for one domain: the current certificate's chain (leaf first) and
 * its private key, decrypted. Lives in memory only; never logged, never in an API response but
 * the delivery endpoint's.
 */
public record Bundle(String domainId, String domainName, String certificateId, String serial, OffsetDateTime notAfter,
        String chainPem, String keyPem, List<String> names) {

    /** Chain then key, one PEM document: what Caddy's {@code get_certificate http} and HAProxy's {@code set ssl cert} read. */
    public String pem() {
        return withNewline(chainPem) + withNewline(keyPem);
    }

    private static String withNewline(String pem) {
        return pem.endsWith("\n") ? pem : pem + "\n";
    }

    @Override
    public String toString() {
        return "Bundle[" + domainName + ", certificate " + certificateId + ", serial " + serial + "]";
    }
}
