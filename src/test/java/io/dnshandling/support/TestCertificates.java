package io.dnshandling.support;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made on the spot for unit tests that need a real X.509 leaf but no CA. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A self-signed EC certificate for {@code dnsName}, valid from {@code notBefore} to {@code notAfter}. */
    public static X509Certificate selfSigned(String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        return selfSigned(dnsName, notBefore, notAfter, newKey());
    }

    /** The same as PEM, certificate then private key: what a TLS server reads from one file. */
    public static String selfSignedPem(String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair key = newKey();
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(selfSigned(dnsName, notBefore, notAfter, key));
            pem.writeObject(new JcaPKCS8Generator(key.getPrivate(), null));
        }
        return out.toString();
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(String dnsName, Instant notBefore, Instant notAfter, KeyPair key) throws Exception {
        X500Name subject = new X500Name("CN=" + dnsName);
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }
}
