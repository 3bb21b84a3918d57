package io.dnshandling.support;

import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Kubernetes API server that Quarkus' kubernetes-client test library ships (no real API server
 * can run on these machines), in CRUD mode, as a test profile's resource: started once for every
 * test class of the profile. {@code @WithKubernetesTestServer} on a class restricts the server to
 * that class, so each class carrying it started the whole service anew; a test still injects the
 * server with {@code @KubernetesTestServer}.
 */
public class KubernetesCrudServer extends KubernetesServerTestResource {

    @Override
    public void init(Map<String, String> args) {
        init(new WithKubernetesTestServer() {
            @Override
            public boolean https() {
                return false;
            }

            @Override
            public boolean crud() {
                return true;
            }

            @Override
            public int port() {
                return 0;
            }

            @Override
            public Class<? extends Consumer<KubernetesServer>> setup() {
                return WithKubernetesTestServer.NO_SETUP.class;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return WithKubernetesTestServer.class;
            }
        });
    }
}
