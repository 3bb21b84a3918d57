package io.dnshandling.delivery;

import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.config.DeliveryConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;

/** The targets configured: Kubernetes Secrets in one namespace, and each HAProxy runtime API socket. */
@ApplicationScoped
public class DeliveryTargets {

    private final List<DeliveryTarget> all;

    DeliveryTargets(DeliveryConfig config, Instance<KubernetesClient> kubernetes, WorkerThreads workers) {
        List<DeliveryTarget> targets = new ArrayList<>();
        // The client is built only when Secrets are wanted: without a namespace nothing talks to an API server.
        config.kubernetes().namespace().map(String::strip).filter(ns -> !ns.isEmpty())
                .ifPresent(ns -> targets.add(new KubernetesSecrets(kubernetes.get(), ns, workers)));
        for (String socket : config.haproxy().orElse(List.of())) {
            if (!socket.isBlank()) {
                targets.add(new HaproxyTarget(HaproxyRuntimeApi.of(socket.strip()), config.haproxyCrtList(), workers));
            }
        }
        this.all = List.copyOf(targets);
    }

    public List<DeliveryTarget> all() {
        return all;
    }

    /** The names of the configured targets, as the API shows them. */
    public List<String> names() {
        return all.stream().map(DeliveryTarget::name).toList();
    }
}
