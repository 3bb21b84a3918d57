package io.dnshandling.events;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** One webhook request: the URLs it may go to, how it is signed, and how a URL appears in errors and logs. */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /** The POST of one event to one URL, with its id, type, timestamp and signature headers. */
    static HttpRequest signed(String url, String eventId, String eventType, String payload, byte[] secret, String timestamp) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "dns-handling-webhooks")
                .header("X-Event-Id", eventId)
                .header("X-Event-Type", eventType)
                .header("X-Timestamp", timestamp)
                .header("X-Signature", "t=" + timestamp + ",v1=" + signature(secret, timestamp, eventId, eventType, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
    }

    /**
     * Hex HMAC-SHA256 under {@code secret} of {@code "<timestamp>.<event id>.<event type>.<body>"}:
     * what a receiver recomputes. The id and type are signed too, so a captured request cannot be
     * replayed under a fresh id (to pass de-duplication) or as another type.
     */
    public static String signature(byte[] secret, String timestamp, String eventId, String eventType, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + eventId + "." + eventType + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /** An https URL, or http to this machine only: events carry customers' names and must not cross a network in clear. */
    static void checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("WEBHOOK_URLS: an entry is not a URL: " + redacted(url));
        }
        boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127.")
                || uri.getHost().equals("[::1]") || uri.getHost().equals("::1"));
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalStateException("WEBHOOK_URLS: " + redacted(url) + " must be https (http only to this machine)");
        }
    }

    /** A URL as errors and logs show it: scheme, host and port only (no credentials, path or query). */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "<invalid URL>";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "<invalid URL>";
        }
    }
}
