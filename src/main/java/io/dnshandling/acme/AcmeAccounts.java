package io.dnshandling.acme;

import io.dnshandling.secrets.KeyVault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * The service's ACME account: one per directory, created on first use, its key kept in the
 * database and reused by every replica. The key is stored before the account exists at the CA,
 * so replicas that need an account at the same moment all register the same key: one account.
 */
public class AcmeAccounts {

    private static final Logger LOG = Logger.getLogger(AcmeAccounts.class);

    private final Pool pool;
    private final WorkerThreads workers;
    private final AcmeSessions sessions;
    private final IssuerSettings config;
    private final KeyVault vault;
    private final Counter created;
    private final Clock clock;
    private volatile Login login;

    AcmeAccounts(Pool pool, WorkerThreads workers, AcmeSessions sessions, IssuerSettings config, MeterRegistry metrics,
            KeyVault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
        this.pool = pool;
        this.workers = workers;
        this.sessions = sessions;
        this.config = config;
        this.created = Counter.builder("acme.accounts.created").description("ACME accounts registered with the CA").register(metrics);
    }

    /**
     * The account's login; creates the account at the CA the first time any replica needs one.
     * The key comes first: the first replica to store one for the directory wins, and every
     * replica registers the stored key, which the CA answers with the one account it belongs to.
     * No database connection is held while the CA answers.
     */
    public Uni<Login> login() {
        Login known = login;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        String directory = sessions.directory();
        return find(directory)
                .chain(row -> row != null ? Uni.createFrom().item(row) : storeNewKey(directory).chain(won -> find(directory)))
                .chain(row -> row.url() != null ? bind(directory, row) : register(directory, row, false))
                .invoke(l -> login = l);
    }

    /**
     * Registers the stored key again, for a CA that no longer knows the account recorded for it,
     * and records the URL the CA answers with.
     */
    public Uni<Login> registerAgain() {
        login = null;
        String directory = sessions.directory();
        LOG.warnf("the CA at %s no longer knows the service's account; registering the stored key again", directory);
        return find(directory).chain(row -> register(directory, row, true)).invoke(l -> login = l);
    }

    /** Whether {@code failure} is the CA saying that the account does not exist (RFC 8555 7.3.1). */
    static boolean accountGone(Throwable failure) {
        Throwable e = failure instanceof AcmeLazyLoadingException && failure.getCause() != null ? failure.getCause() : failure;
        return e instanceof AcmeServerException server && "urn:ietf:params:acme:error:accountDoesNotExist".equals(String.valueOf(server.getType()));
    }

    /** Where the account key of {@code directory} is stored, for the encryption to be bound to. */
    static KeyVault.Binding keyAt(String directory) {
        return new KeyVault.Binding("acme_accounts", "key_pem", directory);
    }

    private record Stored(String url, String keyPem) {
    }

    private Uni<Stored> find(String directory) {
        return pool.preparedQuery("SELECT account_url, key_pem FROM acme_accounts WHERE directory_url = $1")
                .execute(Tuple.of(directory))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Stored(r.getString("account_url"), r.getString("key_pem"));
                });
    }

    /** Stores a fresh account key unless another replica stored one first; true when this one did. */
    private Uni<Boolean> storeNewKey(String directory) {
        return workers.run(() -> vault.encrypt(CertificateKeys.toPem(CertificateKeys.EC_P256.generate()), keyAt(directory)))
                .chain(keyPem -> pool.preparedQuery("""
                                INSERT INTO acme_accounts (directory_url, account_url, key_pem, created_at) VALUES ($1, NULL, $2, $3)
                                ON CONFLICT (directory_url) DO NOTHING""")
                        .execute(Tuple.of(directory, keyPem, OffsetDateTime.now(clock))))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<Login> bind(String directory, Stored row) {
        return workers.run(() -> {
            KeyPair key = CertificateKeys.fromPem(vault.decrypt(row.keyPem(), keyAt(directory)));
            return sessions.open().login(URI.create(row.url()).toURL(), key);
        });
    }

    /** Registers the stored key (idempotent at the CA: an existing account is returned) and records the account URL. */
    private Uni<Login> register(String directory, Stored row, boolean again) {
        return workers.run(() -> {
            KeyPair key = CertificateKeys.fromPem(vault.decrypt(row.keyPem(), keyAt(directory)));
            Session session = sessions.open();
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
            config.email().filter(e -> !e.isBlank()).ifPresent(builder::addEmail);
            if (config.eabKid().filter(k -> !k.isBlank()).isPresent()) {
                builder.withKeyIdentifier(config.eabKid().get(), config.eabHmacKey()
                        .orElseThrow(() -> new AcmeException("ACME_EAB_KID is set without ACME_EAB_HMAC_KEY")));
            }
            Account account = builder.create(session);
            return new Registered(account.getLocation().toString(), session.login(account.getLocation(), key));
        }).call(r -> pool.preparedQuery("UPDATE acme_accounts SET account_url = $1 WHERE directory_url = $2 AND (account_url IS NULL OR $3)")
                .execute(Tuple.of(r.url(), directory, again))
                .invoke(rows -> {
                    if (rows.rowCount() == 1) {
                        created.increment();
                        LOG.infof("registered ACME account %s at %s", r.url(), directory);
                    }
                }))
                .map(Registered::login);
    }

    private record Registered(String url, Login login) {
    }

}
