package io.dnshandling.acme;

import io.dnshandling.config.AcmeConfig;
import io.dnshandling.secrets.KeyVault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The service's ACME account: one per directory, created on first use, its key kept in the
 * database and reused by every replica. Creation takes a transaction-scoped advisory lock and
 * looks again once it holds it, so replicas that need an account at the same moment create one.
 */
@ApplicationScoped
public class AcmeAccounts {

    private static final Logger LOG = Logger.getLogger(AcmeAccounts.class);

    private final Pool pool;
    private final WorkerThreads workers;
    private final AcmeSessions sessions;
    private final AcmeConfig config;
    private final KeyVault vault;
    private final Counter created;
    private final Clock clock;
    private volatile Login login;

    AcmeAccounts(Pool pool, WorkerThreads workers, AcmeSessions sessions, AcmeConfig config, MeterRegistry metrics,
            KeyVault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
        this.pool = pool;
        this.workers = workers;
        this.sessions = sessions;
        this.config = config;
        this.created = Counter.builder("acme.accounts.created").description("ACME accounts registered with the CA").register(metrics);
    }

    /** The account's login; creates the account at the CA the first time any replica needs one. */
    public Uni<Login> login() {
        Login known = login;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        String directory = sessions.directory();
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
                        .execute(Tuple.of("acme-account:" + directory))
                        .chain(() -> find(conn, directory))
                        .chain(row -> row != null ? bind(row) : register(conn, directory)))
                .invoke(l -> login = l);
    }

    private Uni<Row> find(SqlConnection conn, String directory) {
        return conn.preparedQuery("SELECT account_url, key_pem FROM acme_accounts WHERE directory_url = $1")
                .execute(Tuple.of(directory))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    private Uni<Login> bind(Row row) {
        String url = row.getString("account_url");
        String stored = row.getString("key_pem");
        return workers.run(() -> {
            KeyPair key = CertificateKeys.fromPem(vault.decrypt(stored));
            return sessions.open().login(URI.create(url).toURL(), key);
        });
    }

    private Uni<Login> register(SqlConnection conn, String directory) {
        return workers.run(() -> {
            KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
            Session session = sessions.open();
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
            config.email().filter(e -> !e.isBlank()).ifPresent(builder::addEmail);
            if (config.eabKid().filter(k -> !k.isBlank()).isPresent()) {
                builder.withKeyIdentifier(config.eabKid().get(), config.eabHmacKey()
                        .orElseThrow(() -> new AcmeException("ACME_EAB_KID is set without ACME_EAB_HMAC_KEY")));
            }
            Account account = builder.create(session);
            return new Registered(account.getLocation().toString(), vault.encrypt(CertificateKeys.toPem(key)), session.login(account.getLocation(), key));
        }).call(r -> conn.preparedQuery("INSERT INTO acme_accounts (directory_url, account_url, key_pem, created_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(directory, r.url(), r.keyPem(), OffsetDateTime.now(clock))))
                .invoke(r -> {
                    created.increment();
                    LOG.infof("registered ACME account %s at %s", r.url(), directory);
                })
                .map(Registered::login);
    }

    private record Registered(String url, String keyPem, Login login) {
    }

}
