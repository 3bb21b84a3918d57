package io.dnshandling.support;

import static io.restassured.RestAssured.given;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client as a browser would be one, for the delivery tests: connects to a loopback port
 * with a server name (SNI), trusts only the test CA's root, checks the name against the served
 * certificate, and reports the serial it was given. {@code curl --resolve name:port:127.0.0.1
 * --cacert root.pem} does the same.
 */
public final class TlsProbe {

    private final TrustManagerFactory trust;
    private final String rootPem;

    private TlsProbe(TrustManagerFactory trust, String rootPem) {
        this.trust = trust;
        this.rootPem = rootPem;
    }

    /** The one root this client trusts, as PEM (for curl's --cacert). */
    public String rootPem() {
        return rootPem;
    }

    /** Trusting exactly Pebble's current root, read from its management interface. */
    public static TlsProbe trustingPebble(PebbleServer pebble) {
        String root = given().relaxedHTTPSValidation().get(pebble.managementUrl() + "/roots/0").then().statusCode(200).extract().asString();
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("pebble-root", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(root.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return new TlsProbe(tmf, root);
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust Pebble's root: " + e.getMessage(), e);
        }
    }

    /**
     * The serial (hex) of the certificate served for {@code serverName}; fails when the handshake or
     * its checks fail. Always a full handshake: a fresh context has no session to resume (a resumed
     * session would carry an earlier server name, and the server would not choose a certificate).
     */
    public String servedSerial(int port, String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(serverName)));
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return leaf.getSerialNumber().toString(16);
        }
    }

    /** Whether a handshake for {@code serverName} succeeds with a certificate of that serial. */
    public boolean serves(int port, String serverName, String serial) {
        try {
            return new BigInteger(servedSerial(port, serverName), 16).equals(new BigInteger(serial, 16));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether every handshake for {@code serverName} now fails (nothing trusted is served for it). */
    public boolean refuses(int port, String serverName) {
        try {
            servedSerial(port, serverName);
            return false;
        } catch (Exception e) {
            return true;
        }
    }
}
