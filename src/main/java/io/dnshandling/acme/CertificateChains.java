package io.dnshandling.acme;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Reading the stored PEM chains back. */
public final class CertificateChains {

    private CertificateChains() {
    }

    /** The leaf (first certificate) of a PEM chain. */
    public static X509Certificate leaf(String chainPem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The DNS names (subjectAltName type 2) {@code leaf} covers, lower case, in the certificate's order. */
    public static List<String> dnsNames(X509Certificate leaf) {
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String name) {
                    names.add(name.toLowerCase(Locale.ROOT));
                }
            }
            return names;
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's subjectAltName cannot be read", e);
        }
    }
}
