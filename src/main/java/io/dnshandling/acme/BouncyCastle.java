package io.dnshandling.acme;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** acme4j's key and CSR utilities use the BouncyCastle provider; whoever needs them registers it here, once. */
final class BouncyCastle {

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private BouncyCastle() {
    }

    /** Registers the provider if it is not yet; cheap after the first call. */
    static void ensureRegistered() {
        // The static initialiser does the work.
    }
}
