package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The TLS terminators the delivery tests feed: a real HAProxy (its runtime API), and the
 * settings that point the service at it, at a Kubernetes namespace (the API server is the test
 * library's, {@link KubernetesCrudServer}, a resource of the same profile) and at a delivery token of its own, apart from the management token.
 */
public class DeliveryTestBedResource implements QuarkusTestResourceLifecycleManager {

    public static final String DELIVERY_TOKEN = "delivery-token-for-tests-0123456789";
    public static final String MANAGEMENT_TOKEN = "management-token-for-tests-0123456789";
    public static final String NAMESPACE = "tls-test";

    private static HaproxyServer haproxy;

    public static HaproxyServer haproxy() {
        return haproxy;
    }

    @Override
    public Map<String, String> start() {
        haproxy = HaproxyServer.start();
        return Map.of(
                "delivery.token", DELIVERY_TOKEN,
                "auth.token", MANAGEMENT_TOKEN,
                "delivery.interval", "1s",
                "delivery.haproxy", haproxy.adminSocket(),
                "delivery.haproxy-crt-list", haproxy.crtList().toString(),
                "delivery.kubernetes.namespace", NAMESPACE);
    }

    @Override
    public void stop() {
        if (haproxy != null) {
            haproxy.close();
            haproxy = null;
        }
    }
}
