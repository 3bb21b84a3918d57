package io.dnshandling.acme;

import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Status;

/**
 * The CA as the rest of the service sees it: each ACME step of a DNS-01 order as one call that
 * completes on the caller's Vert.x context, the blocking acme4j work done on a worker thread in
 * between. It only knows <em>how</em>; the issuance steps decide <em>when</em>. Failures are
 * acme4j's own exceptions, for {@link AcmeFailure#of} to classify.
 */
public interface CertificateAuthority {

    /** The directory URL exactly as configured: the key of the account kept for it. */
    String directory();

    /** The CA's name in {@code ACME_ISSUERS} ({@code default} for the single CA): in metrics and on certificates. */
    String name();

    /** The kind of key its certificates get. */
    CertificateKeys keys();

    /**
     * Opens an order for {@code names} (the domain first, wildcards as {@code *.name}). With
     * {@code replaces} (the chain of the certificate a renewal replaces) and a CA that offers
     * renewal information (RFC 9773), the order names it.
     */
    Uni<OpenedOrder> open(List<String> names, String replacesChainPem);

    /** Tells the CA to validate each challenge; one already past pending is left alone. */
    Uni<Void> trigger(List<String> challengeUrls);

    /** The authorization at each URL, in the order given. */
    Uni<List<Polled>> authorizations(List<String> authorizationUrls);

    Uni<Polled> order(String orderUrl);

    /** Deactivates those of the authorizations that are still pending; how many were. */
    Uni<Integer> deactivate(List<String> authorizationUrls);

    /** Sends the CSR for {@code key}; only while the order is {@code ready}. */
    Uni<Void> finalizeOrder(String orderUrl, KeyPair key);

    /** Downloads the certificate of a valid order, with the CA's renewal window when it offers one. */
    Uni<Issued> download(String orderUrl);

    /**
     * The domain names this CA recognises as its own in CAA records (RFC 8555 7.1.1
     * {@code caaIdentities}); empty when it announces none.
     */
    Uni<List<String>> caaIdentities();

    /** The URL of the service's account at this CA (RFC 8657 {@code accounturi}); created if there is none yet. */
    Uni<String> accountUrl();

    /** The CA's current renewal window for the leaf of {@code chainPem} (RFC 9773); empty when the CA offers none. */
    Uni<Optional<Window>> renewalWindow(String chainPem);

    /** Revokes the leaf of {@code chainPem} (RFC 8555 7.6) with the service's account. */
    Uni<Void> revoke(String chainPem, RevocationReason reason);

    /** A challenge that still has to be answered: where, and with which TXT value. */
    record PendingChallenge(String authorizationUrl, String challengeUrl, String recordName, String txtValue) {
    }

    record OpenedOrder(String orderUrl, List<PendingChallenge> challenges, String replacesAriId) {
    }

    /** An authorization's or order's status as last read, with the CA's Retry-After and problem. */
    record Polled(Status status, Optional<Instant> retryAfter, Optional<String> problem) {
    }

    /** The CA's suggested renewal window (RFC 9773 4.2). */
    record Window(Instant start, Instant end) {
    }

    record Issued(String chainPem, X509Certificate leaf, Optional<Window> renewalWindow) {
    }
}
