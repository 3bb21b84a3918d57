package io.dnshandling.support;

import io.dnshandling.core.RandomIds;

/**
 * Domains and certificates written straight into the tables, for the reads that judge a stored
 * certificate (its state, the fleet's counts) without issuing one. The certificates are not real:
 * tests that write them delete their domains afterwards.
 */
public final class StoredCertificates {

    private StoredCertificates() {
    }

    /** An active domain named {@code name}; its id. */
    public static String activeDomain(Rows rows, String name) {
        String domain = RandomIds.id();
        rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
                VALUES (?, ?, 'token', ?, 'active', now(), now(), now())""", domain, name, RandomIds.label(20));
        return domain;
    }

    /**
     * A certificate of {@code domain} issued now, valid from {@code notBefore} to {@code notAfter}
     * (SQL expressions, such as {@code now() - interval '80 days'}); its id.
     */
    public static String certificate(Rows rows, String domain, String notBefore, String notAfter) {
        String order = RandomIds.id();
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                VALUES (?, ?, 'test', 'test', 'valid', now(), 0, now(), now(), now(), now())""", order, domain);
        String id = RandomIds.id();
        // It covers the domain's name, so it is not taken for one that misses a name and renewed at once.
        rows.update("INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,"
                + " issued_at, created_at, names) SELECT ?, d.id, ?, 'chain', 'key', '01', 'test', " + notBefore + ", " + notAfter
                + ", now(), now(), ARRAY[d.domain_name] FROM domains d WHERE d.id = ?", id, order, domain);
        return id;
    }
}
