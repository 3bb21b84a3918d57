package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.dnshandling.certificate.CertificateStore.KeyMaterial;
import io.dnshandling.secrets.KeyVault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Decrypted bundles by certificate id. A stored certificate never changes, so an entry never goes
 * stale; entries of certificates no longer current are dropped after each delivery pass.
 */
@ApplicationScoped
public class Bundles {

    private static final Logger LOG = Logger.getLogger(Bundles.class);

    private final CertificateStore certificates;
    private final KeyVault vault;
    private final Map<String, Bundle> byCertificate = new ConcurrentHashMap<>();
    /** Certificates whose key cannot be decrypted: the keys configured do not change while the service runs. */
    private final Set<String> undecryptable = ConcurrentHashMap.newKeySet();

    Bundles(CertificateStore certificates, KeyVault vault) {
        this.certificates = certificates;
        this.vault = vault;
    }

    /**
     * The bundle of each of {@code deliverable}, in the same order, read and decrypted once per
     * certificate; one whose key cannot be decrypted is left out.
     */
    public Uni<List<Bundle>> of(List<Deliverable> deliverable) {
        List<String> missing = deliverable.stream().map(Deliverable::certificateId)
                .filter(id -> !byCertificate.containsKey(id) && !undecryptable.contains(id)).toList();
        Uni<Void> loaded = missing.isEmpty() ? Uni.createFrom().voidItem()
                : certificates.keyMaterial(missing).invoke(found -> deliverable.stream()
                        .filter(d -> found.containsKey(d.certificateId()))
                        .forEach(d -> decrypt(d, found.get(d.certificateId()))
                                .ifPresentOrElse(b -> byCertificate.put(d.certificateId(), b), () -> undecryptable.add(d.certificateId()))))
                .replaceWithVoid();
        return loaded.map(v -> {
            List<Bundle> out = new ArrayList<>(deliverable.size());
            for (Deliverable d : deliverable) {
                Bundle b = byCertificate.get(d.certificateId());
                if (b != null) {
                    out.add(b);
                }
            }
            return out;
        });
    }

    /** The bundle of one certificate, read and decrypted now and kept nowhere (the caller keeps what it serves). */
    public Uni<Optional<Bundle>> read(Deliverable d) {
        return certificates.keyMaterial(List.of(d.certificateId()))
                .map(found -> Optional.ofNullable(found.get(d.certificateId())).flatMap(m -> decrypt(d, m)));
    }

    /** Forgets every certificate but {@code current}. */
    void retainOnly(List<Deliverable> current) {
        Set<String> keep = current.stream().map(Deliverable::certificateId).collect(Collectors.toSet());
        byCertificate.keySet().retainAll(keep);
        undecryptable.retainAll(keep);
    }

    /**
     * The decrypted bundle; a key that cannot be decrypted (a key-encryption key dropped from
     * KEY_ENCRYPTION_KEY too early) leaves that one certificate out, with the reason in the log,
     * and never stops the others.
     */
    private Optional<Bundle> decrypt(Deliverable d, KeyMaterial m) {
        try {
            return Optional.of(new Bundle(d.domainId(), d.domainName(), d.certificateId(), d.serial(), d.notAfter(),
                    m.chainPem(), vault.decrypt(m.encryptedKey(), CertificateStore.keyAt(d.certificateId())), d.names()));
        } catch (RuntimeException e) {
            LOG.warnf("certificate %s of %s cannot be delivered: %s", d.certificateId(), d.domainName(), e.getMessage());
            return Optional.empty();
        }
    }
}
