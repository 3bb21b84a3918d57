package io.dnshandling.acme;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.AcmeProvider;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.provider.pebble.PebbleAcmeProvider;
import org.shredzone.acme4j.toolbox.JSON;

/**
 * Connects to the configured ACME directory: a {@code https://} URL, or {@code acme://pebble/…}
 * for a local Pebble, trusting the CA certificate in {@code ACME_TRUST_CERT} when one is given
 * (test CAs), the system's trust store otherwise.
 */
public class AcmeSessions {

    private final IssuerSettings issuer;
    private final Duration requestTimeout;
    private final AcmeProvider provider;

    AcmeSessions(IssuerSettings issuer, Duration requestTimeout, MeterRegistry metrics) {
        this.issuer = issuer;
        this.requestTimeout = requestTimeout;
        URI directory = URI.create(issuer.directory());
        TrustManagerFactory trust = issuer.trustCert().filter(p -> !p.isBlank()).map(AcmeSessions::trustOnly).orElse(null);
        // Our own providers in every case: the CA's TLS trust, and every request counted.
        if ("acme".equals(directory.getScheme()) && "pebble".equals(directory.getHost())) {
            this.provider = new PebbleAcmeProvider() {
                @Override
                protected TrustManagerFactory createPebbleTrustManagerFactory() {
                    return trust != null ? trust : super.createPebbleTrustManagerFactory();
                }

                @Override
                public HttpClient createHttpClient(NetworkSettings settings) {
                    return new MeteredHttpClient(super.createHttpClient(settings), metrics);
                }

                @Override
                public JSON directory(Session session, URI serverUri) throws AcmeException {
                    return kept(session, super.directory(session, serverUri));
                }
            };
        } else {
            this.provider = new GenericAcmeProvider() {
                @Override
                public HttpClient createHttpClient(NetworkSettings settings) {
                    return new MeteredHttpClient(trust != null ? withTrust(settings, trust) : super.createHttpClient(settings), metrics);
                }

                @Override
                public JSON directory(Session session, URI serverUri) throws AcmeException {
                    return kept(session, super.directory(session, serverUri));
                }
            };
        }
    }

    /**
     * How long a session uses the directory it read when the CA does not say. acme4j reads it again
     * whenever it needs a resource's URL and the CA gave no expiry: two extra requests to the CA
     * for every certificate (opening the order, asking for renewal information), as Pebble and
     * Let's Encrypt send the directory without one.
     */
    static final Duration DIRECTORY_MAX_AGE = Duration.ofMinutes(10);

    /** After a read of the directory ({@code read}, null when the cached one was used): kept for {@link #DIRECTORY_MAX_AGE} at least. */
    static JSON kept(Session session, JSON read) {
        ZonedDateTime now = ZonedDateTime.now();
        ZonedDateTime expires = session.getDirectoryExpires();
        if (expires == null || !expires.isAfter(now)) {
            session.setDirectoryExpires(now.plus(DIRECTORY_MAX_AGE));
        }
        return read;
    }

    /** The directory URL exactly as configured: the key of the account kept for it. */
    public String directory() {
        return issuer.directory();
    }

    /** A new session; acme4j reads the directory lazily and caches it per session. */
    public Session open() {
        URI uri = URI.create(issuer.directory());
        Session session = new Session(uri, provider);
        session.networkSettings().setTimeout(requestTimeout);
        return session;
    }

    private static HttpClient withTrust(NetworkSettings settings, TrustManagerFactory trust) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return HttpClient.newBuilder().connectTimeout(settings.getTimeout()).sslContext(ssl)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build TLS context for the ACME server", e);
        }
    }

    /** A trust manager that trusts exactly the certificates in the PEM file at {@code path}. */
    static TrustManagerFactory trustOnly(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalStateException("ACME_TRUST_CERT " + path + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("acme-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read ACME_TRUST_CERT " + path + ": " + e.getMessage(), e);
        }
    }
}
