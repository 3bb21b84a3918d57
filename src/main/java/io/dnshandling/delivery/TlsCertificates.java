package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.DatabaseNotifications;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
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
    private final Map<String, Optional<CertificateStore.Deliverable>> byName = new ConcurrentHashMap<>();
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

    private void changed(String domainName) {
        changes.incrementAndGet();
        byName.remove(domainName);
        reconciler.kick();
    }

    /** The bundle served for {@code serverName} (a normalised A-label name); null when we hold nothing for it. */
    public Uni<Bundle> forServerName(String serverName) {
        Optional<CertificateStore.Deliverable> known = byName.get(serverName);
        long seen = changes.get();
        Uni<Optional<CertificateStore.Deliverable>> found = known != null ? Uni.createFrom().item(known)
                : certificates.deliverable(serverName).map(list -> list.stream().findFirst()).invoke(d -> remember(serverName, d, seen));
        return found.chain(d -> d.isEmpty() ? Uni.createFrom().nullItem()
                : bundles.of(List.of(d.get())).map(list -> list.isEmpty() ? null : list.get(0)));
    }

    private void remember(String serverName, Optional<CertificateStore.Deliverable> d, long seen) {
        if (changes.get() != seen) {
            return;
        }
        if (byName.size() >= MAX_NAMES) {
            byName.clear();
        }
        byName.put(serverName, d);
    }
}
