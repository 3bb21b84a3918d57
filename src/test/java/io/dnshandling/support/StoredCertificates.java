package io.dnshandling.support;

import io.dnshandling.core.RandomIds;
import java.util.ArrayList;
import java.util.List;

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
        // It covers the domain's name, so it is not taken for one that misses a name and renewed at once.
        return certificate(rows, domain, notBefore, notAfter, "ARRAY[d.domain_name]", "NULL", "NULL");
    }

    /**
     * A certificate of {@code domain} issued now, every column given as a SQL expression: its names
     * over the domain's row {@code d} (such as {@code ARRAY['www.' || d.domain_name]}), when it is
     * due for renewal and when it was revoked ({@code NULL} for neither); its id.
     */
    public static String certificate(Rows rows, String domain, String notBefore, String notAfter, String names, String renewAt, String revokedAt) {
        String order = RandomIds.id();
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                VALUES (?, ?, 'test', 'test', 'valid', now(), 0, now(), now(), now(), now())""", order, domain);
        String id = RandomIds.id();
        rows.update("INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,"
                + " issued_at, created_at, renew_at, revoked_at, names) SELECT ?, d.id, ?, 'chain', 'key', '01', 'test', " + notBefore + ", "
                + notAfter + ", now(), now(), " + renewAt + ", " + revokedAt + ", " + names + " FROM domains d WHERE d.id = ?", id, order, domain);
        return id;
    }

    /**
     * Inserts {@code count} active domains named {@code prefix-<group>-i.example.com}, created a
     * millisecond apart, each with an order and a certificate; {@code group} is SQL of {@code i},
     * and so is {@code certificate}: the certificate's not_before, not_after and renewal_error.
     * Each certificate names its domain exactly: one that missed the name would be due for renewal
     * at once, and the test application would open thousands of renewal orders while the test ran.
     */
    public static void activeDomains(Rows rows, String prefix, int count, String group, String certificate) {
        rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
                SELECT md5(? || i), ? || '-' || %s || '-' || i || '.example.com', 'token', substr(md5('s' || ? || i), 1, 20), 'active',
                       now(), now() - i * interval '1 millisecond', now()
                  FROM generate_series(1, ?) i""".formatted(group), prefix, prefix, prefix, count);
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                SELECT md5('o' || ? || i), md5(? || i), 'test', 'test', 'valid', now(), 0, now(), now(), now(), now()
                  FROM generate_series(1, ?) i""", prefix, prefix, count);
        rows.update("""
                INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,
                                          renewal_error, issued_at, created_at, names)
                SELECT md5('c' || ? || i), d.id, md5('o' || ? || i), 'chain', 'key', '01', 'test', %s, now(), now(), ARRAY[d.domain_name]
                  FROM generate_series(1, ?) i JOIN domains d ON d.id = md5(? || i)""".formatted(certificate), prefix, prefix, count, prefix);
    }

    /** The ids of the domains whose names are like {@code pattern}, in creation order. */
    public static List<String> domainIds(Rows rows, String pattern) {
        List<String> ids = new ArrayList<>();
        rows.each("SELECT id FROM domains WHERE domain_name LIKE ? ORDER BY created_at, id", pattern, r -> ids.add(r.get(0)));
        return ids;
    }
}
