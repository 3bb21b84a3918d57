package io.dnshandling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where certificates go: Kubernetes TLS Secrets, HAProxy runtime APIs, and the on-handshake endpoint. */
@ConfigMapping(prefix = "delivery")
public interface DeliveryConfig {

    /** {@code DELIVERY_TOKEN}: the one credential that fetches keys from {@code /tls}; without it {@code /tls} does not exist. */
    Optional<String> token();

    /** {@code DELIVERY_INTERVAL}: how often every target is compared with the current certificates (also on every change). */
    @WithDefault("10s")
    Duration interval();

    Kubernetes kubernetes();

    /** {@code DELIVERY_HAPROXY}: admin sockets, {@code host:port} or {@code unix:/path}, one per HAProxy instance; empty = off. */
    Optional<List<String>> haproxy();

    /** {@code DELIVERY_HAPROXY_CRT_LIST}: the crt-list (as named in haproxy.cfg) the certificates are added to. */
    @WithDefault("/etc/haproxy/dns-handling.crt-list")
    String haproxyCrtList();

    interface Kubernetes {
        /** {@code DELIVERY_KUBERNETES_NAMESPACE}: the namespace to keep one TLS Secret per active domain in; empty = off. */
        Optional<String> namespace();
    }
}
