package io.dnshandling.delivery;

import io.dnshandling.core.Digests;
import io.dnshandling.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code DELIVERY_TOKEN}: the one credential that fetches private keys, and all it can do. Kept
 * only as a SHA-256 digest; compared in constant time. It must differ from {@code AUTH_TOKEN},
 * so that the management token can never fetch keys.
 */
@ApplicationScoped
public class DeliveryCredential {

    private final byte[] digest;

    DeliveryCredential(DeliveryConfig config, @ConfigProperty(name = "auth.token") Optional<String> authToken) {
        Optional<String> token = config.token().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && token.equals(authToken.map(String::strip))) {
            throw new IllegalStateException("DELIVERY_TOKEN must differ from AUTH_TOKEN: the management token must not fetch keys");
        }
        this.digest = token.map(Digests::sha256).orElse(null);
    }

    /** Whether the delivery endpoint exists at all. */
    public boolean enabled() {
        return digest != null;
    }

    public boolean accepts(String presented) {
        return digest != null && presented != null && MessageDigest.isEqual(digest, Digests.sha256(presented.strip()));
    }
}
