package io.dnshandling.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CA that refuses every new order with Let's Encrypt's rate-limit answer: 429, a
 * {@code rateLimited} problem and a Retry-After of an hour. Its directory is Pebble's with
 * {@code newOrder} pointing here, so nonces and the account are Pebble's own.
 */
public final class RateLimitedCa implements AutoCloseable {

    private final HttpsServer server;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    public RateLimitedCa(PebbleServer pebble) {
        try {
            HttpClient toPebble = HttpClient.newBuilder().sslContext(AriProxy.clientContext(pebble.trustCert())).build();
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(AriProxy.serverContext(pebble.tlsDirectory())));
            server.createContext("/dir", exchange -> AriProxy.servePebbleDirectory(exchange, toPebble, pebble,
                    directory -> directory.put("newOrder", base() + "/new-order")));
            server.createContext("/new-order", exchange -> {
                // The names asked for, from the JWS payload of the new order.
                JsonNode jws = JSON.readTree(exchange.getRequestBody());
                JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(jws.path("payload").asText()));
                payload.path("identifiers").forEach(id -> asked.add(id.path("value").asText()));
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
    public int refused() {
        return asked.size();
    }

    /** How many new orders it refused that named {@code name}. */
    public long newOrdersFor(String name) {
        return asked.stream().filter(name::equals).count();
    }

    private String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
