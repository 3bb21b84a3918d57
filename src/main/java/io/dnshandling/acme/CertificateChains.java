package io.dnshandling.acme;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Reading the stored PEM chains back. */
public final class CertificateChains {

    private CertificateChains() {
    }

    /** The leaf (first certificate) of a PEM chain. */
    public static X509Certificate leaf(String chainPem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
    }
}
