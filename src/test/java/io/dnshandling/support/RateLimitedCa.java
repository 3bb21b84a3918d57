package io.dnshandling.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CA that refuses every new order with Let's Encrypt's rate-limit answer: 429, a
 * {@code rateLimited} problem and a Retry-After of an hour. Its directory is Pebble's with
 * {@code newOrder} pointing here, so nonces and the account are Pebble's own.
 */
public final class RateLimitedCa implements AutoCloseable {

    private final HttpsServer server;
    private final AtomicInteger newOrders = new AtomicInteger();

    public RateLimitedCa(PebbleServer pebble) {
        try {
            HttpClient toPebble = HttpClient.newBuilder().sslContext(AriProxy.clientContext(pebble.trustCert())).build();
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(AriProxy.serverContext(pebble.tlsDirectory())));
            ObjectMapper json = new ObjectMapper();
            server.createContext("/dir", exchange -> {
                try {
                    HttpResponse<String> dir = toPebble.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pebble.port() + "/dir")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    ObjectNode directory = (ObjectNode) json.readTree(dir.body());
                    directory.put("newOrder", base() + "/new-order");
                    byte[] body = json.writeValueAsBytes(directory);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(503, -1);
                }
                exchange.close();
            });
            server.createContext("/new-order", exchange -> {
                newOrders.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"type\": \"urn:ietf:params:acme:error:rateLimited\", \"detail\": \"too many new orders recently (test double)\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().add("Retry-After", "3600");
                exchange.sendResponseHeaders(429, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the rate-limiting CA double", e);
        }
    }

    public String directory() {
        return base() + "/dir";
    }

    /** How many new orders it refused. */
    public int newOrders() {
        return newOrders.get();
    }

    private String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
