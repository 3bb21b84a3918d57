package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.DatabaseNotifications;
import io.dnshandling.domain.DomainName;
import io.dnshandling.domain.InvalidDomainNameException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Answers "which certificate do we serve for this name?" from memory, for the on-handshake
 * endpoint that a TLS server calls on every full handshake. A name is looked up in the database
 * once; every replica forgets it again when a certificate or domain behind it changes
 * ({@code LISTEN tls_certificates}, sent by the tables' triggers on commit), and forgets
 * everything when the listening connection is re-established, since notifications sent while it
 * was down are lost. Each change also starts a delivery pass.
 */
@ApplicationScoped
public class TlsCertificates {

    static final String CHANNEL = "tls_certificates";
    /** Names remembered as ours-or-not at most; past it the memory starts afresh (names are chosen by whoever connects). */
    static final int MAX_NAMES = 200_000;
    private static final Logger LOG = Logger.getLogger(TlsCertificates.class);

    private final CertificateStore certificates;
    private final Bundles bundles;
    private final DatabaseNotifications notifications;
    private final DeliveryReconciler reconciler;
    private final Map<String, Optional<Served>> byName = new ConcurrentHashMap<>();
    /** Bumped on every forgetting, so a lookup that raced with a change does not remember a stale answer. */
    private final AtomicLong changes = new AtomicLong();
    private volatile PgSubscriber subscriber;

    TlsCertificates(CertificateStore certificates, Bundles bundles, DatabaseNotifications notifications, DeliveryReconciler reconciler) {
        this.certificates = certificates;
        this.bundles = bundles;
        this.notifications = notifications;
        this.reconciler = reconciler;
    }

    void start(@Observes StartupEvent event) {
        PgSubscriber s = notifications.subscriber();
        s.channel(CHANNEL)
                .handler(this::changed)
                .subscribeHandler(() -> {
                    changes.incrementAndGet();
                    byName.clear();
                    reconciler.kick();
                });
        s.connect().subscribe().with(v -> LOG.debug("listening for certificate changes"),
                e -> LOG.warnf("certificate change listener could not connect (%s); retrying", e.getMessage()));
        subscriber = s;
    }

    void stop(@Observes ShutdownEvent event) {
        PgSubscriber s = subscriber;
        if (s != null) {
            s.close().subscribe().with(v -> { }, e -> { });
        }
    }

    /** {@code name} (a certificate's, a domain's or one of its names') changed; a wildcard stands for every name one label under it. */
    private void changed(String name) {
        changes.incrementAndGet();
        if (name.startsWith("*.")) {
            String parent = name.substring(1);
            byName.keySet().removeIf(k -> k.endsWith(parent) && k.lastIndexOf('.', k.length() - parent.length() - 1) < 0);
        }
        byName.remove(name);
        reconciler.kick();
    }

    /**
     * The PEM document (chain, then key) served for {@code serverName}, as a TLS server sends it
     * (an A-label name, any case, an optional trailing dot) or in Unicode; null when nothing is
     * held for it. A name seen before is answered from memory without parsing it again.
     */
    public Uni<byte[]> forServerName(String serverName) {
        if (serverName == null || serverName.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        String key = serverName.strip().toLowerCase(Locale.ROOT);
        key = key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
        Optional<Served> known = byName.get(key);
        if (known != null) {
            return Uni.createFrom().item(known.map(Served::pem).orElse(null));
        }
        String name;
        try {
            name = DomainName.parse(serverName).ascii();
        } catch (InvalidDomainNameException e) {
            return Uni.createFrom().nullItem();
        }
        Optional<Served> parsed = byName.get(name);
        if (parsed != null) {
            return Uni.createFrom().item(parsed.map(Served::pem).orElse(null));
        }
        long seen = changes.get();
        return certificates.deliverable(name)
                .chain(found -> found.isEmpty() ? Uni.createFrom().item(Optional.<Served>empty())
                        : bundles.read(found.get(0)).map(built -> built
                                .map(b -> new Served(b.pem().getBytes(StandardCharsets.US_ASCII)))))
                .invoke(served -> remember(name, served, seen))
                .map(served -> served.map(Served::pem).orElse(null));
    }

    /** What is served for one name: its bundle as the bytes sent. */
    private record Served(byte[] pem) {
    }

    private void remember(String serverName, Optional<Served> d, long seen) {
        if (changes.get() != seen) {
            return;
        }
        if (byName.size() >= MAX_NAMES) {
            byName.clear();
        }
        byName.put(serverName, d);
    }
}
