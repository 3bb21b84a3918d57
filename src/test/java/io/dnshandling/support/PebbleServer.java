package io.dnshandling.support;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Let's Encrypt's test CA, Pebble (Debian's package), on loopback with real dns-01 validation:
 * its validator resolves {@code _acme-challenge} names through the DNS server it is given (a
 * recursive resolver in these tests, as Let's Encrypt resolves through one). The TLS certificate
 * Pebble serves its API with is made here, and the service trusts exactly its issuer.
 */
public final class PebbleServer implements AutoCloseable {

    private volatile Process process;
    private final ProcessBuilder command;
    private final int port;
    private final int management;
    private final Path dir;

    private PebbleServer(ProcessBuilder command, Process process, int port, int management, Path dir) {
        this.command = command;
        this.process = process;
        this.port = port;
        this.management = management;
        this.dir = dir;
    }

    /**
     * Stops Pebble and starts it again on the same ports: it forgets everything it held (accounts,
     * orders) and makes new roots, as Pebble does at every start.
     */
    public void restart() throws IOException {
        close();
        process = command.start();
        awaitListening();
    }

    /** Pebble's management interface (certificate status by serial, roots). */
    public String managementUrl() {
        return "https://127.0.0.1:" + management;
    }

    public static PebbleServer start(String dnsServer, Map<String, String> env, List<String> blocklist, long validitySeconds) {
        return start(dnsServer, env, blocklist, validitySeconds, Map.of());
    }

    /** With {@code eabKeys} (key id to base64url HMAC key), Pebble requires external account binding. */
    public static PebbleServer start(String dnsServer, Map<String, String> env, List<String> blocklist, long validitySeconds,
            Map<String, String> eabKeys) {
        int port = FreePorts.udpAndTcp();
        int management = FreePorts.udpAndTcp();
        try {
            Path dir = Files.createTempDirectory("pebble");
            writeTlsMaterial(dir);
            String config = """
                    {"pebble": {
                      "listenAddress": "127.0.0.1:%d",
                      "managementListenAddress": "127.0.0.1:%d",
                      "certificate": "%s", "privateKey": "%s",
                      "httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "",
                      "externalAccountBindingRequired": %s,
                      "externalAccountMACKeys": {%s},
                      "domainBlocklist": [%s],
                      "certificateValidityPeriod": %d
                    }}""".formatted(port, management, dir.resolve("cert.pem"), dir.resolve("key.pem"),
                    !eabKeys.isEmpty(), String.join(",", eabKeys.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").toList()),
                    String.join(",", blocklist.stream().map(d -> "\"" + d + "\"").toList()), validitySeconds);
            Files.writeString(dir.resolve("pebble.json"), config);
            ProcessBuilder pb = new ProcessBuilder(binary(), "-config", dir.resolve("pebble.json").toString(), "-dnsserver", dnsServer)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pebble.log").toFile());
            Map<String, String> environment = new HashMap<>();
            environment.put("PEBBLE_VA_NOSLEEP", "1");
            environment.put("PEBBLE_WFE_NONCEREJECT", "0");
            environment.put("PEBBLE_AUTHZREUSE", "0");
            environment.putAll(env);
            pb.environment().putAll(environment);
            PebbleServer pebble = new PebbleServer(pb, pb.start(), port, management, dir);
            pebble.awaitListening();
            return pebble;
        } catch (Exception e) {
            throw new IllegalStateException("could not start pebble: " + e.getMessage(), e);
        }
    }

    /** The directory in acme4j's form for Pebble. */
    public String directory() {
        return "acme://pebble/127.0.0.1:" + port;
    }

    /** Where Pebble's TLS certificate and key are (a test double in front of Pebble serves the same). */
    public Path tlsDirectory() {
        return dir;
    }

    public String trustCert() {
        return dir.resolve("ca.pem").toString();
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pebble.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pebble exited: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50); // polling the port while pebble starts, bounded by the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("pebble did not listen on " + port + ": " + log());
    }

    private static String binary() {
        for (String candidate : List.of("/usr/bin/pebble", "/usr/local/bin/pebble")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("pebble is not installed: scripts/test.sh installs it (apt-get install pebble)");
    }

    /** A throw-away CA and, signed by it, Pebble's server certificate for localhost and 127.0.0.1. */
    private static void writeTlsMaterial(Path dir) throws Exception {
        // The JDK's provider: named-curve PKCS#8 keys, which Go's TLS stack reads.
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC", "SunEC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKey = gen.generateKeyPair();
        KeyPair serverKey = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=dns-handling test ACME server CA");
        var caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), caName, caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                caBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        var serverBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=localhost"), serverKey.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(
                serverBuilder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        Files.writeString(dir.resolve("ca.pem"), pem(ca));
        Files.writeString(dir.resolve("cert.pem"), pem(server) + pem(ca));
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(serverKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
