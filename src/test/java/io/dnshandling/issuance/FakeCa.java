package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.CertificateKeys;
import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Status;

/**
 * A CA for unit tests of the order steps: answers what the test set, records what it was asked.
 * A pure stand-in; the steps run against Pebble in the end-to-end tests.
 */
final class FakeCa implements CertificateAuthority {

    final Map<String, Polled> authorizations = new HashMap<>();
    Polled order = polled(Status.PENDING);
    Issued issued;
    Exception failure;
    final List<String> triggered = new ArrayList<>();
    final List<KeyPair> finalizedWith = new ArrayList<>();
    int downloads;
    int orderReads;
    int authorizationReads;

    static Polled polled(Status status) {
        return new Polled(status, Optional.empty(), Optional.empty());
    }

    @Override
    public String directory() {
        return "https://ca.test/directory";
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public CertificateKeys keys() {
        return CertificateKeys.EC_P256;
    }

    @Override
    public Uni<OpenedOrder> open(List<String> names, String replacesChainPem) {
        throw new UnsupportedOperationException("the steps never open orders");
    }

    @Override
    public Uni<Void> trigger(List<String> challengeUrls) {
        return answer(() -> {
            triggered.addAll(challengeUrls);
            return null;
        });
    }

    @Override
    public Uni<List<Polled>> authorizations(List<String> authorizationUrls) {
        return answer(() -> {
            authorizationReads++;
            return authorizationUrls.stream().map(authorizations::get).toList();
        });
    }

    @Override
    public Uni<Polled> order(String orderUrl) {
        return answer(() -> {
            orderReads++;
            return order;
        });
    }

    @Override
    public Uni<Void> finalizeOrder(String orderUrl, KeyPair key) {
        return answer(() -> {
            finalizedWith.add(key);
            return null;
        });
    }

    @Override
    public Uni<Issued> download(String orderUrl) {
        return answer(() -> {
            downloads++;
            return issued;
        });
    }

    @Override
    public Uni<Optional<Window>> renewalWindow(String chainPem) {
        return Uni.createFrom().item(Optional.empty());
    }

    @Override
    public Uni<Integer> deactivate(List<String> authorizationUrls) {
        return Uni.createFrom().item(0);
    }

    @Override
    public Uni<List<String>> caaIdentities() {
        return Uni.createFrom().item(List.of("ca.test"));
    }

    @Override
    public Uni<String> accountUrl() {
        return Uni.createFrom().item("https://ca.test/acct/1");
    }

    @Override
    public Uni<Void> revoke(String chainPem, RevocationReason reason) {
        throw new UnsupportedOperationException("the steps never revoke");
    }

    private <T> Uni<T> answer(Supplier<T> value) {
        return failure != null ? Uni.createFrom().failure(failure) : Uni.createFrom().item(value);
    }
}
