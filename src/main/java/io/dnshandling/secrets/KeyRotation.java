package io.dnshandling.secrets;

import io.dnshandling.core.Draining;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps every stored private key sealed under the newest key-encryption key and bound to its row.
 * At start, and every 10 minutes, it re-encrypts in place each value under an older key (decrypted
 * with its own row's binding, so a value moved between rows stays refused), and reports how many
 * are left in {@code key_vault_rows_under_old_keys}: at 0 the old key can be dropped from
 * {@code KEY_ENCRYPTION_KEY}. Once, for a database that has them, it upgrades values of the older
 * formats (plain PEM, v1); after that they are never read again.
 *
 * <p>The three key columns belong to other packages' tables; this only ever replaces a value by
 * its re-encryption, and only if the row still holds the value it read (compare-and-set), so it
 * cannot lose a concurrent write.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);
    static final int BATCH = 200;

    /** A column holding sealed keys, and the column naming its row. */
    record Column(String table, String idColumn, String column) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("acme_accounts", "directory_url", "key_pem"),
            new Column("acme_orders", "id", "certificate_key_pem"),
            new Column("certificates", "id", "private_key_pem"));

    private final Pool pool;
    private final KeyVault vault;
    private final AtomicLong underOldKeys = new AtomicLong();
    private final Draining draining;

    KeyRotation(Pool pool, KeyVault vault, MeterRegistry metrics, Draining draining) {
        this.pool = pool;
        this.vault = vault;
        this.draining = draining;
        metrics.gauge("key.vault.rows.under.old.keys", underOldKeys);
    }

    void onStart(@Observes StartupEvent event) {
        // Before the service is ready: a database upgraded from plain or v1 values reads again at once.
        pass().await().atMost(Duration.ofMinutes(5));
    }

    @Scheduled(every = "10m", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return draining.quietOnStop("key rotation pass", pass().replaceWithVoid());
    }

    /** One pass over every column; the number of values still not under the newest key. */
    public Uni<Long> pass() {
        if (!vault.canEncrypt()) {
            return Uni.createFrom().item(0L); // nothing can be stored either; KeyVault says so on the first write
        }
        return pool.query("SELECT legacy_pending FROM key_vault_state WHERE id = 1").execute()
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getBoolean("legacy_pending"))
                .chain(legacy -> Multi.createFrom().iterable(COLUMNS).onItem().transformToUniAndConcatenate(c -> rotate(c, legacy, "")).collect().last()
                        .chain(() -> legacy ? pool.query("UPDATE key_vault_state SET legacy_pending = false").execute()
                                .invoke(() -> LOG.info("stored private keys of older formats upgraded")).replaceWithVoid()
                                : Uni.createFrom().voidItem()))
                .chain(this::count)
                .invoke(left -> {
                    underOldKeys.set(left);
                    if (left > 0) {
                        LOG.warnf("%d stored private key(s) are not under the newest key-encryption key; keep the older keys in KEY_ENCRYPTION_KEY", left);
                    }
                });
    }

    /** Re-encrypts the column's values that are not under the newest key, a batch at a time. */
    private Uni<Void> rotate(Column c, boolean legacy, String after) {
        return pool.preparedQuery("SELECT " + c.idColumn() + " AS id, " + c.column() + " AS value FROM " + c.table()
                        + " WHERE " + c.column() + " IS NOT NULL AND " + c.column() + " NOT LIKE $1 AND ($2 OR " + c.column()
                        + " LIKE 'v2:%') AND " + c.idColumn() + " > $3 ORDER BY " + c.idColumn() + " LIMIT $4")
                .execute(Tuple.of(currentPrefix() + "%", legacy, after, BATCH))
                .chain(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    String last = after;
                    for (Row r : rows) {
                        String id = r.getString("id");
                        last = id;
                        String stored = r.getString("value");
                        KeyVault.Binding where = new KeyVault.Binding(c.table(), c.column(), id);
                        try {
                            String plain = stored.startsWith(KeyVault.VERSION + ":") ? vault.decrypt(stored, where) : vault.decryptLegacy(stored);
                            updates.add(Tuple.of(vault.encrypt(plain, where), id, stored));
                        } catch (RuntimeException e) {
                            LOG.warnf("cannot re-encrypt %s: %s", where, e.getMessage());
                        }
                    }
                    Uni<Void> written = updates.isEmpty() ? Uni.createFrom().voidItem()
                            : pool.preparedQuery("UPDATE " + c.table() + " SET " + c.column() + " = $1 WHERE " + c.idColumn() + " = $2 AND "
                                    + c.column() + " = $3").executeBatch(updates).replaceWithVoid();
                    // A full batch may have more behind it.
                    String next = last;
                    return written.chain(() -> rows.size() == BATCH ? rotate(c, legacy, next) : Uni.createFrom().voidItem());
                });
    }

    private Uni<Long> count() {
        String union = String.join(" UNION ALL ", COLUMNS.stream().map(c -> "SELECT count(*) AS n FROM " + c.table() + " WHERE "
                + c.column() + " IS NOT NULL AND " + c.column() + " NOT LIKE $1").toList());
        return pool.preparedQuery("SELECT sum(n)::bigint AS n FROM (" + union + ") t").execute(Tuple.of(currentPrefix() + "%"))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    private String currentPrefix() {
        return vault.currentPrefix();
    }
}
