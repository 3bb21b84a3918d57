package io.dnshandling.acme;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * acme4j makes EC keys with the BouncyCastle provider; whatever makes, reads or writes keys
 * registers it here first, once, on the worker thread that needs it. Nothing does at start: a
 * replica that has no key to make or read does not pay for the provider's classes and tables
 * (about 670 classes and 10 MiB of resident memory, none of them in the class archive), and the
 * first order or account of a replica pays for them once (about half a second of a worker's CPU,
 * next to an order's seconds of DNS and CA round trips). A native image has it registered at build
 * time (the {@code native} Maven profile sets {@code quarkus.security.security-providers=BC}).
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
}
