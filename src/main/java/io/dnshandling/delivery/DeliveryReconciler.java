package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.Draining;
import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.dnshandling.core.RandomIds;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps every delivery target holding exactly the current certificate of every active domain.
 * Desired state is read afresh from the database on each pass; each target is compared with it
 * and corrected ({@link DeliveryTarget#sync}); the outcome per domain and target is recorded. A
 * pass runs on a timer and whenever a certificate changes on any replica; one replica at a time
 * works a target, under a lease. With no target configured nothing runs.
 */
@ApplicationScoped
public class DeliveryReconciler {

    private static final Logger LOG = Logger.getLogger(DeliveryReconciler.class);
    /** Longer than a pass over a slow target; a replica that dies mid-pass hands over after it. */
    static final Duration LEASE = Duration.ofSeconds(60);

    private final DeliveryTargets targets;
    private final CertificateStore certificates;
    private final Bundles bundles;
    private final DeploymentStore deployments;
    private final DeliveryMetrics metrics;
    private final Draining draining;
    private final String holder = RandomIds.id();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    DeliveryReconciler(DeliveryTargets targets, CertificateStore certificates, Bundles bundles, DeploymentStore deployments,
            DeliveryMetrics metrics, Draining draining) {
        this.draining = draining;
        this.targets = targets;
        this.certificates = certificates;
        this.bundles = bundles;
        this.deployments = deployments;
        this.metrics = metrics;
    }

    /**
     * Gives a pass in flight until the shutdown budget to finish, then hands back this replica's
     * leases, so another replica delivers at once instead of after {@link #LEASE}. A pass that
     * finishes later finds its lease gone; the next replica's pass corrects whatever it wrote.
     */
    void stop(@Observes ShutdownEvent event) {
        if (targets.all().isEmpty()) {
            return;
        }
        if (!draining.awaitQuiet(() -> !running.get())) {
            LOG.info("stopping with a delivery pass still running: its leases are released");
        }
        deployments.releaseAll(holder).await().atMost(Duration.ofSeconds(5));
    }

    /** This replica's name in {@code delivery_leases}. */
    String holder() {
        return holder;
    }

    @Scheduled(every = "${delivery.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        kick();
    }

    /** Runs a pass now, or right after the one running; cheap to call often. */
    public void kick() {
        if (draining.draining() || targets.all().isEmpty()) {
            return;
        }
        again.set(true);
        if (running.compareAndSet(false, true)) {
            again.set(false);
            pass().subscribe().with(v -> finished(), e -> {
                LOG.warnf("delivery pass failed: %s", e.getMessage());
                finished();
            });
        }
    }

    private void finished() {
        running.set(false);
        if (again.get()) {
            kick();
        }
    }

    Uni<Void> pass() {
        return certificates.deliverable().chain(desired -> bundles.of(desired).chain(wanted -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (DeliveryTarget target : targets.all()) {
                all = all.chain(() -> syncUnderLease(target, desired, wanted));
            }
            return all.invoke(() -> bundles.retainOnly(desired));
        })).chain(metrics::refresh);
    }

    private Uni<Void> syncUnderLease(DeliveryTarget target, List<Deliverable> desired, List<Bundle> wanted) {
        Set<String> built = wanted.stream().map(Bundle::domainId).collect(Collectors.toSet());
        List<Deliverable> unbuilt = desired.stream().filter(d -> !built.contains(d.domainId())).toList();
        return deployments.lease(target.name(), holder, LEASE).chain(held -> {
            if (!held) {
                return Uni.createFrom().voidItem(); // another replica is working this target now
            }
            return target.sync(wanted, unbuilt)
                    .chain(found -> {
                        Map<String, String> errors = new HashMap<>(found);
                        unbuilt.forEach(d -> errors.put(d.domainId(), "the stored private key cannot be decrypted with KEY_ENCRYPTION_KEY"));
                        return deployments.record(target.name(), desired, errors);
                    })
                    .onFailure().recoverWithUni(e -> {
                        String error = "target unreachable: " + e.getMessage();
                        LOG.warnf("%s: %s", target.name(), error);
                        return deployments.unreachable(target.name(), desired, error);
                    })
                    // However the pass ends: a lease kept by a failed pass would stop every replica for its length.
                    .eventually(() -> deployments.release(target.name(), holder));
        });
    }
}
