package io.dnshandling.acme;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyPair;
import java.util.Locale;
import org.shredzone.acme4j.util.KeyPairUtils;

/** Keys of issued certificates, of the configured type ({@code ACME_KEY_TYPE}). */
public enum CertificateKeys {
    EC_P256, EC_P384, RSA_2048, RSA_3072;

    public static CertificateKeys parse(String configured) {
        try {
            return valueOf(configured.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ACME_KEY_TYPE '" + configured + "' is not one of ec-p256, ec-p384, rsa-2048, rsa-3072");
        }
    }

    /** A fresh key pair; blocking (RSA generation takes a while), so off the event loop. */
    public KeyPair generate() {
        BouncyCastle.ensureRegistered();
        return switch (this) {
            case EC_P256 -> KeyPairUtils.createECKeyPair("secp256r1");
            case EC_P384 -> KeyPairUtils.createECKeyPair("secp384r1");
            case RSA_2048 -> KeyPairUtils.createKeyPair(2048);
            case RSA_3072 -> KeyPairUtils.createKeyPair(3072);
        };
    }

    /** {@code key} as PEM, the form it is encrypted and stored in. */
    public static String toPem(KeyPair key) throws IOException {
        BouncyCastle.ensureRegistered();
        StringWriter out = new StringWriter();
        KeyPairUtils.writeKeyPair(key, out);
        return out.toString();
    }

    public static KeyPair fromPem(String pem) throws IOException {
        BouncyCastle.ensureRegistered();
        return KeyPairUtils.readKeyPair(new StringReader(pem));
    }
}
