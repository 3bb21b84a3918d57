package io.dnshandling.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A test double for ACME Renewal Information (RFC 9773) and certificate profiles, which Pebble
 * 2.4.0 does not offer: it
 * serves Pebble's directory with a {@code renewalInfo} URL added (every other URL still points at
 * Pebble, so requests signed for Pebble's URLs go there unchanged) and answers renewal-info
 * requests with a suggested window a few seconds ahead, so a renewal that follows it is plainly
 * distinguishable from one planned on the certificate's 90-day lifetime.
 */
public final class AriProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final List<String> certificateIds = new CopyOnWriteArrayList<>();
    private volatile java.time.Duration windowStart = java.time.Duration.ofSeconds(2);
    private volatile java.time.Duration windowEnd = java.time.Duration.ofSeconds(4);

    public AriProxy(PebbleServer pebble, Path tlsDir) {
        try {
            SSLContext tls = serverContext(tlsDir);
            HttpClient toPebble = HttpClient.newBuilder().sslContext(clientContext(pebble.trustCert())).build();
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/dir", exchange -> servePebbleDirectory(exchange, toPebble, pebble, directory -> {
                directory.put("renewalInfo", base() + "/renewal-info");
                // Let's Encrypt's profiles (RFC draft acme-profiles), which Pebble 2.4 does not announce.
                ObjectNode profiles = directory.withObject("meta").putObject("profiles");
                profiles.put("classic", "the default, 90 days");
                profiles.put("shortlived", "160 hours");
            }));
            server.createContext("/renewal-info/", exchange -> {
                String id = exchange.getRequestURI().getPath().substring("/renewal-info/".length());
                certificateIds.add(id);
                Instant now = Instant.now();
                byte[] body = ("{\"suggestedWindow\": {\"start\": \"" + now.plus(windowStart) + "\", \"end\": \"" + now.plus(windowEnd) + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Retry-After", "60");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the renewal-information test double", e);
        }
    }

    public String directory() {
        return base() + "/dir";
    }

    /** Answers with Pebble's directory as {@code edit} changes it: how a test double in front of Pebble adds or moves resources. */
    static void servePebbleDirectory(HttpExchange exchange, HttpClient toPebble, PebbleServer pebble, Consumer<ObjectNode> edit)
            throws IOException {
        try {
            HttpResponse<String> dir = toPebble.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + pebble.port() + "/dir")).build(),
                    HttpResponse.BodyHandlers.ofString());
            ObjectNode directory = (ObjectNode) JSON.readTree(dir.body());
            edit.accept(directory);
            byte[] body = JSON.writeValueAsBytes(directory);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
        }
        exchange.close();
    }

    /** From now on, suggests the window from {@code start} to {@code end} after each request. */
    public void suggest(java.time.Duration start, java.time.Duration end) {
        windowStart = start;
        windowEnd = end;
    }

    /** The certificate ids the service asked renewal information for. */
    public List<String> certificateIds() {
        return certificateIds;
    }

    private String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    static SSLContext serverContext(Path dir) throws Exception {
        String keyPem = Files.readString(dir.resolve("key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(keyPem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Certificate[] chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("cert.pem")))).toArray(Certificate[]::new);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static SSLContext clientContext(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(caPem)))));
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
