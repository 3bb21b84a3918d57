package io.dnshandling.acme;

import java.io.IOException;
import java.io.StringWriter;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.shredzone.acme4j.toolbox.JSONBuilder;
import io.dnshandling.acme.CertificateAuthority.Issued;
import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import io.dnshandling.acme.CertificateAuthority.PendingChallenge;
import io.dnshandling.acme.CertificateAuthority.Polled;
import io.dnshandling.acme.CertificateAuthority.Window;

/**
 * The linear ACME steps of one DNS-01 order, each a few blocking acme4j calls: open an order,
 * trigger a challenge, read an authorization or the order, finalize, download. It only knows
 * <em>how</em>; the issuance steps decide <em>when</em>. Every method blocks:
 * {@link AcmeCertificateAuthority} runs it on a worker thread.
 */
final class AcmeGateway {

    private AcmeGateway() {
    }

    /**
     * Opens an order for {@code names}, asking for {@code profile} when one is configured. With
     * {@code replaces} (a renewal) and a CA that offers renewal information (RFC 9773), the order
     * names the certificate it replaces.
     */
    static OpenedOrder open(Login login, List<String> names, X509Certificate replaces, String profile) throws AcmeException {
        var builder = login.newOrder().domains(names);
        if (profile != null) {
            builder.profile(profile);
        }
        String ariId = null;
        if (replaces != null && supportsRenewalInfo(login)) {
            builder.replaces(replaces);
            ariId = AcmeUtils.getRenewalUniqueIdentifier(replaces);
        }
        Order order = builder.create();
        List<PendingChallenge> pending = new ArrayList<>();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() == Status.VALID) {
                continue; // the CA reused an earlier authorization: nothing to prove
            }
            Dns01Challenge challenge = auth.findChallenge(Dns01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no dns-01 challenge for " + auth.getIdentifier().getDomain()));
            pending.add(new PendingChallenge(auth.getLocation().toString(), challenge.getLocation().toString(),
                    challenge.getRRName(auth.getIdentifier()), challenge.getDigest()));
        }
        return new OpenedOrder(order.getLocation().toString(), pending, ariId);
    }

    static boolean supportsRenewalInfo(Login login) throws AcmeException {
        return login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    }

    /** The CA's suggested renewal window for {@code certificate}, when it offers renewal information. */
    static Optional<Window> renewalWindow(Login login, X509Certificate certificate) throws AcmeException {
        if (!supportsRenewalInfo(login)) {
            return Optional.empty();
        }
        RenewalInfo info = login.bindRenewalInfo(certificate);
        info.fetch();
        return Optional.of(new Window(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd()));
    }

    /**
     * Tells the CA to validate a pending dns-01 challenge in one request: the challenge is built
     * from what the order recorded instead of read first. A CA refuses to trigger a challenge past
     * pending (a step repeated after a restart, an authorization it reused); then the challenge is
     * read, and one no longer pending is left alone, so the call stays idempotent.
     */
    static void trigger(Login login, String challengeUrl) throws AcmeException {
        Challenge pending = login.createChallenge(new JSONBuilder().put("type", Dns01Challenge.TYPE).put("url", challengeUrl)
                .put("status", "pending").toJSON());
        try {
            pending.trigger();
        } catch (AcmeServerException refused) {
            if (login.bindChallenge(url(challengeUrl)).getStatus() == Status.PENDING) {
                throw refused;
            }
        }
    }

    static Polled authorization(Login login, String authorizationUrl) throws AcmeException {
        Authorization auth = login.bindAuthorization(url(authorizationUrl));
        Optional<Instant> retryAfter = auth.fetch();
        Optional<String> problem = Optional.empty();
        if (auth.getStatus() == Status.INVALID) {
            problem = auth.getChallenges().stream()
                    .map(Challenge::getError).flatMap(Optional::stream).findFirst()
                    .map(AcmeGateway::describe)
                    .or(() -> Optional.of("the CA marked the authorization invalid"));
        }
        return new Polled(auth.getStatus(), retryAfter, problem);
    }

    /** Deactivates the authorization if it is still pending (RFC 8555 7.5.2); true when it did. */
    static boolean deactivate(Login login, String authorizationUrl) throws AcmeException {
        Authorization auth = login.bindAuthorization(url(authorizationUrl));
        auth.fetch();
        if (auth.getStatus() != Status.PENDING) {
            return false;
        }
        auth.deactivate();
        return true;
    }

    /** Reads the order; {@code read} is handed what was read, for a following step to act on. */
    static Polled order(Login login, String orderUrl, BiConsumer<String, Order> read) throws AcmeException {
        Order order = login.bindOrder(url(orderUrl));
        Optional<Instant> retryAfter = order.fetch();
        read.accept(orderUrl, order);
        return new Polled(order.getStatus(), retryAfter, order.getError().map(AcmeGateway::describe));
    }

    /** The order as just read ({@code known}), or read now. */
    private static Order current(Login login, String orderUrl, Order known) throws AcmeException {
        if (known != null) {
            return known;
        }
        Order order = login.bindOrder(url(orderUrl));
        order.fetch();
        return order;
    }

    /** Sends the CSR for {@code key}; only call while the order is {@code ready}. */
    static void finalizeOrder(Login login, String orderUrl, Order known, KeyPair key) throws AcmeException {
        current(login, orderUrl, known).execute(key);
    }

    static Issued download(Login login, String orderUrl, Order known) throws AcmeException {
        Order order = current(login, orderUrl, known);
        Certificate certificate = order.getCertificate();
        certificate.download();
        StringWriter pem = new StringWriter();
        try {
            certificate.writeCertificate(pem);
        } catch (IOException e) {
            throw new AcmeException("cannot encode the certificate chain", e);
        }
        Optional<Window> window;
        try {
            window = renewalWindow(login, certificate.getCertificate());
        } catch (AcmeException e) {
            // The certificate is issued and stored either way; renewal then follows the lifetime ratio.
            window = Optional.empty();
        }
        return new Issued(pem.toString(), certificate.getCertificate(), window);
    }

    static String describe(Problem problem) {
        String detail = problem.getDetail().orElse(problem.getTitle().orElse(problem.getType().toString()));
        return detail + " (" + problem.getType() + ")";
    }

    private static URL url(String s) {
        try {
            return URI.create(s).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + s, e);
        }
    }
}
