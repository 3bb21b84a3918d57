package io.dnshandling.acme;

import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Status;

/** {@link CertificateAuthority} through acme4j: one CA, the service's account there, each step on a worker thread. */
public class AcmeCertificateAuthority implements CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(AcmeCertificateAuthority.class);

    private final AcmeAccounts accounts;
    private final AcmeSessions sessions;
    private final WorkerThreads workers;
    private final Optional<List<String>> configuredCaaIdentities;
    private volatile List<String> announcedCaaIdentities;
    private final String profile;
    private final String name;
    private final CertificateKeys keys;
    private final RecentOrders recent = new RecentOrders();

    AcmeCertificateAuthority(IssuerSettings config, AcmeAccounts accounts, AcmeSessions sessions, WorkerThreads workers) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.workers = workers;
        this.name = config.name();
        this.keys = CertificateKeys.parse(config.keyType());
        this.profile = config.profile().map(String::strip).filter(p -> !p.isEmpty()).orElse(null);
        this.configuredCaaIdentities = config.caaIdentities().map(l -> l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
                .filter(l -> !l.isEmpty());
    }

    /**
     * A configured {@code ACME_PROFILE} must be one the directory offers: checked at start, so a
     * typo stops the service with the list of offered profiles instead of failing every order. A
     * CA that cannot be reached at start does not stop it; the order then says why.
     */
    void checkProfile() {
        if (profile == null) {
            return;
        }
        Metadata meta;
        try {
            meta = workers.run(() -> sessions.open().getMetadata()).await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warnf("%s %s not checked: the directory %s could not be read (%s)", profileSetting(), profile, directory(), e.getMessage());
            return;
        }
        if (!meta.isProfileAllowed(profile)) {
            throw new IllegalStateException(profileSetting() + " '" + profile + "' is not offered by " + directory()
                    + (meta.getProfiles().isEmpty() ? ", which offers no profiles" : "; it offers " + String.join(", ", new TreeSet<>(meta.getProfiles()))));
        }
        LOG.infof("orders ask %s for the profile %s", directory(), profile);
    }

    private String profileSetting() {
        return IssuerSettings.DEFAULT.equals(name) ? "ACME_PROFILE" : "ACME_ISSUER_" + name.toUpperCase(Locale.ROOT) + "_PROFILE";
    }

    /** ACME_CAA_IDENTITIES when set, else what the directory announces (read once). */
    @Override
    public Uni<List<String>> caaIdentities() {
        if (configuredCaaIdentities.isPresent()) {
            return Uni.createFrom().item(configuredCaaIdentities.get());
        }
        List<String> known = announcedCaaIdentities;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return workers.run(() -> List.copyOf(sessions.open().getMetadata().getCaaIdentities()))
                .invoke(found -> announcedCaaIdentities = found);
    }

    @Override
    public Uni<String> accountUrl() {
        return accounts.login().map(login -> login.getAccountLocation().toString());
    }

    /**
     * {@code call} with the account's login, on a worker thread. An account the CA no longer knows
     * (a test CA that restarted, an account removed at the CA) is registered again with the stored
     * key, and the call made once more.
     */
    private <T> Uni<T> signed(Function<Login, WorkerThreads.BlockingCall<T>> call) {
        return accounts.login().chain(login -> workers.run(call.apply(login)))
                .onFailure(AcmeAccounts::accountGone).recoverWithUni(e -> accounts.registerAgain().chain(login -> workers.run(call.apply(login))));
    }

    @Override
    public String directory() {
        return sessions.directory();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CertificateKeys keys() {
        return keys;
    }

    @Override
    public Uni<OpenedOrder> open(List<String> names, String replacesChainPem) {
        return signed(login -> (() -> AcmeGateway.open(login, names,
                replacesChainPem == null ? null : CertificateChains.leaf(replacesChainPem), profile)));
    }

    @Override
    public Uni<Void> trigger(List<String> challengeUrls) {
        return signed(login -> (() -> {
            for (String url : challengeUrls) {
                AcmeGateway.trigger(login, url);
            }
            return true;
        })).replaceWithVoid();
    }

    @Override
    public Uni<List<Polled>> authorizations(List<String> authorizationUrls) {
        return signed(login -> (() -> {
            List<Polled> out = new ArrayList<>();
            for (String url : authorizationUrls) {
                out.add(AcmeGateway.authorization(login, url));
            }
            return out;
        }));
    }

    @Override
    public Uni<Optional<Window>> renewalWindow(String chainPem) {
        return signed(login -> (() -> AcmeGateway.renewalWindow(login, CertificateChains.leaf(chainPem))));
    }

    @Override
    public Uni<Integer> deactivate(List<String> authorizationUrls) {
        return signed(login -> (() -> {
            int deactivated = 0;
            for (String url : authorizationUrls) {
                deactivated += AcmeGateway.deactivate(login, url) ? 1 : 0;
            }
            return deactivated;
        }));
    }

    @Override
    public Uni<Polled> order(String orderUrl) {
        return signed(login -> (() -> AcmeGateway.order(login, orderUrl, recent::keep)));
    }

    /** Finalizes the order that {@link #order} just read ready without reading it again, else reads it first. */
    @Override
    public Uni<Void> finalizeOrder(String orderUrl, KeyPair key) {
        return signed(login -> (() -> {
            AcmeGateway.finalizeOrder(login, orderUrl, recent.take(orderUrl, Status.READY), key);
            return true;
        })).replaceWithVoid();
    }

    /** Downloads from the order that {@link #order} just read valid without reading it again, else reads it first. */
    @Override
    public Uni<Issued> download(String orderUrl) {
        return signed(login -> (() -> AcmeGateway.download(login, orderUrl, recent.take(orderUrl, Status.VALID))));
    }

    @Override
    public Uni<Void> revoke(String chainPem, RevocationReason reason) {
        return signed(login -> (() -> {
            Certificate.revoke(login, CertificateChains.leaf(chainPem), reason);
            return true;
        })).replaceWithVoid();
    }
}
