package io.dnshandling.acme;

import io.dnshandling.config.AcmeConfig;
import io.dnshandling.secrets.KeyVault;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The CAs the service orders from, in order of preference ({@code ACME_ISSUERS}, or the single
 * CA), and the CA of any directory an order or certificate names: one still configured, or one
 * dropped from the list since, reached with the account already stored for it so that what it
 * holds (open orders, certificates to renew or revoke) is not stranded.
 */
@ApplicationScoped
public class Issuers {

    private static final Logger LOG = Logger.getLogger(Issuers.class);

    private final List<CertificateAuthority> configured;
    private final Map<String, CertificateAuthority> byDirectory = new ConcurrentHashMap<>();
    private final Pool pool;
    private final WorkerThreads workers;
    private final KeyVault vault;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final AcmeConfig acme;

    Issuers(AcmeConfig acme, Config config, Pool pool, WorkerThreads workers, KeyVault vault, Clock clock, MeterRegistry metrics) {
        this.acme = acme;
        this.pool = pool;
        this.workers = workers;
        this.vault = vault;
        this.clock = clock;
        this.metrics = metrics;
        List<CertificateAuthority> list = new ArrayList<>();
        for (IssuerSettings settings : IssuerSettings.of(acme, config)) {
            CertificateAuthority ca = build(settings);
            list.add(ca);
            byDirectory.put(ca.directory(), ca);
        }
        this.configured = List.copyOf(list);
    }

    /** Each configured CA's profile must be one its directory offers; a CA that cannot be reached is not a reason to stop. */
    void checkProfiles(@Observes StartupEvent event) {
        for (CertificateAuthority ca : configured) {
            ((AcmeCertificateAuthority) ca).checkProfile();
        }
        LOG.infof("orders go to %s", configured.stream().map(ca -> ca.name() + " (" + ca.directory() + ")").toList());
    }

    /** The configured CAs, most preferred first. */
    public List<CertificateAuthority> ordered() {
        return configured;
    }

    /** The configured CAs with the one at {@code directory} first, when it is one of them (a renewal prefers its issuer). */
    public List<CertificateAuthority> preferring(String directory) {
        List<CertificateAuthority> out = new ArrayList<>(configured);
        out.stream().filter(ca -> ca.directory().equals(directory)).findFirst().ifPresent(first -> {
            out.remove(first);
            out.add(0, first);
        });
        return out;
    }

    /** The CA at {@code directory}: the configured one, or one built for a directory no longer configured. */
    public CertificateAuthority of(String directory) {
        return byDirectory.computeIfAbsent(directory, d -> {
            LOG.infof("%s is no longer in ACME_ISSUERS; it is still reached for the orders and certificates it holds", d);
            return build(IssuerSettings.retired(d, acme));
        });
    }

    private CertificateAuthority build(IssuerSettings settings) {
        AcmeSessions sessions = new AcmeSessions(settings, acme.requestTimeout(), metrics);
        AcmeAccounts accounts = new AcmeAccounts(pool, workers, sessions, settings, metrics, vault, clock);
        return new AcmeCertificateAuthority(settings, accounts, sessions, workers);
    }
}
