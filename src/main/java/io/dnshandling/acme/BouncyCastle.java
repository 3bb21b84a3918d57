package io.dnshandling.acme;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * acme4j makes EC keys with the BouncyCastle provider; whatever makes, reads or writes keys
 * registers it here first, once. Constructing the provider takes about half a second of CPU (its
 * algorithm tables and named curves are built), so it is not registered at start on the JVM:
 * {@link #warmUp()} does it on a thread of its own once the service is up. A native image has it
 * registered at build time (the {@code native} Maven profile sets
 * {@code quarkus.security.security-providers=BC}).
 */
final class BouncyCastle {

    private static volatile boolean registered;

    private BouncyCastle() {
    }

    /** Registers the provider if it is not yet; cheap after the first call. */
    static void ensureRegistered() {
        if (registered) {
            return;
        }
        synchronized (BouncyCastle.class) {
            if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
                Security.addProvider(new BouncyCastleProvider());
            }
            registered = true;
        }
    }

    /** Registers the provider on a daemon thread, so that the first order does not wait for it. */
    static void warmUp() {
        Thread thread = new Thread(BouncyCastle::ensureRegistered, "bouncycastle-registration");
        thread.setDaemon(true);
        thread.start();
    }
}
