package io.dnshandling.issuance;

import io.dnshandling.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.RevocationReason;

/** Revokes certificates at the CA with the service's account (RFC 8555 7.6). */
@ApplicationScoped
public class Revocations {

    private final AcmeAccounts accounts;
    private final WorkerThreads workers;

    Revocations(AcmeAccounts accounts, WorkerThreads workers) {
        this.accounts = accounts;
        this.workers = workers;
    }

    /** The RFC 5280 reason named in snake case ({@code key_compromise}); unspecified when null; 400 otherwise. */
    public static RevocationReason reason(String name) {
        if (name == null || name.isBlank()) {
            return RevocationReason.UNSPECIFIED;
        }
        try {
            return RevocationReason.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("reason must be one of " + Arrays.stream(RevocationReason.values())
                    .map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    public static String wire(RevocationReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /** Revokes the leaf of {@code chainPem}; a CA refusal or outage is a 502. */
    public Uni<Void> revoke(String chainPem, RevocationReason reason) {
        return accounts.login()
                .chain(login -> workers.run(() -> {
                    Certificate.revoke(login, CertificateChains.leaf(chainPem), reason);
                    return true;
                }))
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> {
                    AcmeFailure f = AcmeFailure.of(e);
                    return new ApiException(502, (f.permanent() ? "the ACME CA refused the revocation: " : "the ACME CA could not be used: ") + f.detail());
                })
                .replaceWithVoid();
    }
}
