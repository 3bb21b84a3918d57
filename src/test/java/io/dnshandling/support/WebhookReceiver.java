package io.dnshandling.support;

import com.sun.net.httpserver.HttpServer;
import io.dnshandling.events.WebhookRequests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint on loopback that records what it is sent, checks each signature as a real
 * receiver would, and can be told to refuse (503) to exercise retries.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final String SECRET = "webhook-test-secret";

    public record Received(String id, String type, String timestamp, String body, boolean signatureValid) {
    }

    private final HttpServer server;
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusedIds = new CopyOnWriteArrayList<>();
    private final Set<String> refuseOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("X-Event-Id");
            String timestamp = exchange.getRequestHeaders().getFirst("X-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Signature");
            String expected = "t=" + timestamp + ",v1=" + WebhookRequests.signature(SECRET.getBytes(StandardCharsets.UTF_8), timestamp,
                    id, exchange.getRequestHeaders().getFirst("X-Event-Type"), body);
            if (refusing || refuseOnce.removeIf(body::contains)) {
                refusedIds.add(id);
                exchange.sendResponseHeaders(503, -1);
            } else {
                accepted.add(new Received(id, exchange.getRequestHeaders().getFirst("X-Event-Type"), timestamp, body, expected.equals(signature)));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Refuses the first request whose body contains {@code marker}, and accepts it after that. */
    public void refuseOnce(String marker) {
        refuseOnce.add(marker);
    }

    public List<Received> accepted() {
        return accepted;
    }

    public List<Received> about(String domainId) {
        return accepted.stream().filter(r -> r.body().contains("\"" + domainId + "\"")).toList();
    }

    public List<String> refusedIds() {
        return refusedIds;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
