package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts {@link AcmeTestBed} for a test profile. Arguments: {@code nonceReject} (percent of
 * nonces Pebble rejects), {@code txtTimeout}, {@code validitySeconds} (of issued certificates),
 * {@code renewalRatio}.
 */
public class AcmeTestBedResource implements QuarkusTestResourceLifecycleManager {

    private static AcmeTestBed current;
    private static AriProxy ari;

    /** The renewal-information test double, in profiles started with {@code ari=true}. */
    public static AriProxy ari() {
        return ari;
    }
    private static WebhookReceiver webhooks;

    /** Receives the service's webhook events in every profile that uses this resource. */
    public static synchronized WebhookReceiver webhooks() {
        if (webhooks == null) {
            webhooks = new WebhookReceiver();
        }
        return webhooks;
    }
    private Map<String, String> args = Map.of();

    public static AcmeTestBed current() {
        return current;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        current = AcmeTestBed.start(TestDnsResource.builtInPort(),
                Map.of("PEBBLE_WFE_NONCEREJECT", args.getOrDefault("nonceReject", "0")),
                Long.parseLong(args.getOrDefault("validitySeconds", String.valueOf(90L * 24 * 3600))));
        Map<String, String> config = new HashMap<>(current.serviceConfig());
        if ("true".equals(args.get("ari"))) {
            ari = new AriProxy(current.pebble, current.pebble.tlsDirectory());
            config.put("acme.directory", ari.directory());
        }
        config.put("acme.txt-timeout", args.getOrDefault("txtTimeout", "4s"));
        config.put("webhook.urls", webhooks().url());
        config.put("webhook.secret", WebhookReceiver.SECRET);
        // A renewal made due is started within a second, not the ten seconds of the default.
        config.put("renewal.check-interval", "1s");
        if (args.containsKey("renewalRatio")) {
            config.put("renewal.ratio", args.get("renewalRatio"));
        }
        return config;
    }

    @Override
    public void stop() {
        if (ari != null) {
            ari.close();
            ari = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
