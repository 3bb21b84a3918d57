package io.dnshandling.acme;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.RevocationReason;

/** {@link CertificateAuthority} through acme4j: the service's account, each step on a worker thread. */
@ApplicationScoped
public class AcmeCertificateAuthority implements CertificateAuthority {

    private final AcmeAccounts accounts;
    private final AcmeSessions sessions;
    private final WorkerThreads workers;

    AcmeCertificateAuthority(AcmeAccounts accounts, AcmeSessions sessions, WorkerThreads workers) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.workers = workers;
    }

    @Override
    public String directory() {
        return sessions.directory();
    }

    @Override
    public Uni<OpenedOrder> open(String domain, String replacesChainPem) {
        return accounts.login().chain(login -> workers.run(() -> AcmeGateway.open(login, domain,
                replacesChainPem == null ? null : CertificateChains.leaf(replacesChainPem))));
    }

    @Override
    public Uni<Void> trigger(List<String> challengeUrls) {
        return accounts.login().chain(login -> workers.run(() -> {
            for (String url : challengeUrls) {
                AcmeGateway.trigger(login, url);
            }
            return true;
        })).replaceWithVoid();
    }

    @Override
    public Uni<List<Polled>> authorizations(List<String> authorizationUrls) {
        return accounts.login().chain(login -> workers.run(() -> {
            List<Polled> out = new ArrayList<>();
            for (String url : authorizationUrls) {
                out.add(AcmeGateway.authorization(login, url));
            }
            return out;
        }));
    }

    @Override
    public Uni<Polled> order(String orderUrl) {
        return accounts.login().chain(login -> workers.run(() -> AcmeGateway.order(login, orderUrl)));
    }

    @Override
    public Uni<Void> finalizeOrder(String orderUrl, KeyPair key) {
        return accounts.login().chain(login -> workers.run(() -> {
            AcmeGateway.finalizeOrder(login, orderUrl, key);
            return true;
        })).replaceWithVoid();
    }

    @Override
    public Uni<Issued> download(String orderUrl) {
        return accounts.login().chain(login -> workers.run(() -> AcmeGateway.download(login, orderUrl)));
    }

    @Override
    public Uni<Void> revoke(String chainPem, RevocationReason reason) {
        return accounts.login().chain(login -> workers.run(() -> {
            Certificate.revoke(login, CertificateChains.leaf(chainPem), reason);
            return true;
        })).replaceWithVoid();
    }
}
