package io.dnshandling.delivery;

import io.dnshandling.core.Digests;
import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code kubernetes.io/tls} Secret per active domain in one namespace, as ingress controllers
 * and Gateways read them: {@code tls.crt} (leaf, then intermediates) and {@code tls.key}. Ours
 * carry the {@code app.kubernetes.io/managed-by=dns-handling} label; every pass lists them, puts
 * back what differs (a renewal, an edit by hand), creates what is missing and deletes those with
 * no active domain behind them. Secrets without the label are never touched, even one whose name
 * collides with ours. Needs only get/list/create/update/delete on Secrets in that namespace.
 */
final class KubernetesSecrets implements DeliveryTarget {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "dns-handling";
    static final String DOMAIN_ID = "dns-handling.io/domain-id";
    static final String ANNOTATIONS = "dns-handling.io/";
    static final int MAX_NAME = 253;

    private final KubernetesClient client;
    private final String namespace;
    private final WorkerThreads workers;

    KubernetesSecrets(KubernetesClient client, String namespace, WorkerThreads workers) {
        this.client = client;
        this.namespace = namespace;
        this.workers = workers;
    }

    @Override
    public String name() {
        return "kubernetes:" + namespace;
    }

    /** {@code <domain>-tls}: a valid DNS-1123 subdomain, stable, one per domain; shortened with a digest past 253 characters. */
    static String secretName(String domainName) {
        String name = domainName + "-tls";
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String digest = HexFormat.of().formatHex(Digests.sha256(domainName)).substring(0, 16);
        String head = domainName.substring(0, MAX_NAME - digest.length() - 6).replaceAll("[.-]+$", "");
        return head + "-" + digest + "-tls";
    }

    @Override
    public Uni<Map<String, String>> sync(List<Bundle> desired, List<Deliverable> untouched) {
        return workers.run(() -> {
            Map<String, Secret> ours = new HashMap<>();
            for (Secret s : client.secrets().inNamespace(namespace).withLabel(MANAGED_BY, MANAGER).list().getItems()) {
                String domainId = s.getMetadata().getLabels().get(DOMAIN_ID);
                if (domainId != null) {
                    ours.put(domainId, s);
                } else {
                    client.secrets().inNamespace(namespace).resource(s).delete();
                }
            }
            Map<String, String> errors = new HashMap<>();
            for (Bundle b : desired) {
                Secret want = secret(b);
                Secret have = ours.remove(b.domainId());
                try {
                    if (have == null) {
                        client.secrets().inNamespace(namespace).resource(want).create();
                    } else if (!have.getMetadata().getName().equals(want.getMetadata().getName())) {
                        client.secrets().inNamespace(namespace).resource(have).delete();
                        client.secrets().inNamespace(namespace).resource(want).create();
                    } else if (!same(have, want)) {
                        want.getMetadata().setResourceVersion(have.getMetadata().getResourceVersion());
                        client.secrets().inNamespace(namespace).resource(want).update();
                    }
                } catch (KubernetesClientException e) {
                    errors.put(b.domainId(), e.getCode() == 409
                            ? "Secret " + want.getMetadata().getName() + " exists and is not managed by this service"
                            : "Kubernetes API: " + e.getMessage());
                }
            }
            untouched.forEach(d -> ours.remove(d.domainId()));
            for (Secret stale : ours.values()) {
                client.secrets().inNamespace(namespace).resource(stale).delete();
            }
            return errors;
        });
    }

    Secret secret(Bundle b) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ANNOTATIONS + "domain-name", b.domainName());
        annotations.put(ANNOTATIONS + "common-name", b.domainName());
        annotations.put(ANNOTATIONS + "alt-names", String.join(",", b.names()));
        annotations.put(ANNOTATIONS + "certificate-id", b.certificateId());
        annotations.put(ANNOTATIONS + "serial", b.serial());
        annotations.put(ANNOTATIONS + "not-after", b.notAfter().toInstant().toString());
        return new SecretBuilder()
                .withNewMetadata().withName(secretName(b.domainName())).withNamespace(namespace)
                .addToLabels(MANAGED_BY, MANAGER).addToLabels(DOMAIN_ID, b.domainId())
                .withAnnotations(annotations).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(b.chainPem()))
                .addToData("tls.key", base64(b.keyPem()))
                .build();
    }

    /** Whether {@code have} already holds what {@code want} says: type, data, our labels and annotations. */
    static boolean same(Secret have, Secret want) {
        Map<String, String> labels = have.getMetadata().getLabels() == null ? Map.of() : have.getMetadata().getLabels();
        Map<String, String> annotations = have.getMetadata().getAnnotations() == null ? Map.of() : have.getMetadata().getAnnotations();
        return Objects.equals(have.getType(), want.getType())
                && Objects.equals(have.getData(), want.getData())
                && want.getMetadata().getLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                && want.getMetadata().getAnnotations().entrySet().stream().allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
