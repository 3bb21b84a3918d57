package io.dnshandling.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.core.Draining;
import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Management;
import io.dnshandling.support.Rows;
import io.dnshandling.support.UncommonSettingsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys are bound to their rows, re-encrypted under the newest key, and legacy values upgraded once. */
@QuarkusTest
@TestProfile(UncommonSettingsProfile.class) // NEW_KEY first, OLD_KEY (the %test profile's) second
class KeyRotationTest {

    static final byte[] OLD = UncommonSettingsProfile.OLD_KEY;
    static final byte[] NEW = UncommonSettingsProfile.NEW_KEY;

    @Inject
    Rows rows;

    @Inject
    KeyRotation rotation;

    private final KeyVault oldOnly = new KeyVault(List.of(OLD));
    private final KeyVault newOnly = new KeyVault(List.of(NEW));

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * The rotation re-encrypts every row of the shared test database under NEW (this profile's
     * start did too); the classes that run next know only the %test key, so everything goes back.
     */
    @AfterEach
    void clean() {
        new KeyRotation(pool, new KeyVault(List.of(OLD, NEW)), new SimpleMeterRegistry(), new Draining(Duration.ofSeconds(1))).pass().await().atMost(Duration.ofSeconds(60));
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'rotation-%'");
        rows.update("UPDATE key_vault_state SET legacy_pending = false");
    }

    @Test
    void rows_under_the_old_key_are_re_encrypted_and_then_read_without_it() {
        String cert = certificateRow(id -> oldOnly.encrypt(KeyVaultTest.PEM, CertificateStore.keyAt(id)));
        rotation.pass().await().atMost(Duration.ofSeconds(30));
        String stored = keyOf(cert);
        assertThat(stored).startsWith("v2:" + KeyVault.kid(NEW) + ":");
        assertThat(newOnly.decrypt(stored, CertificateStore.keyAt(cert))).isEqualTo(KeyVaultTest.PEM);
        // The gauge counts exactly what is still under an older key: what the operator waits to see at 0.
        long left = rows.count("SELECT count(*) FROM certificates WHERE private_key_pem NOT LIKE ?", "v2:" + KeyVault.kid(NEW) + ":%")
                + rows.count("SELECT count(*) FROM acme_orders WHERE certificate_key_pem NOT LIKE ?", "v2:" + KeyVault.kid(NEW) + ":%")
                + rows.count("SELECT count(*) FROM acme_accounts WHERE key_pem NOT LIKE ?", "v2:" + KeyVault.kid(NEW) + ":%");
        assertThat(gauge()).isEqualTo((double) left);
    }

    @Test
    void a_value_moved_to_another_row_is_refused_and_never_re_encrypted_into_it() {
        String a = certificateRow(id -> oldOnly.encrypt(KeyVaultTest.PEM, CertificateStore.keyAt(id)));
        String b = certificateRow(id -> oldOnly.encrypt("OTHER", CertificateStore.keyAt(id)));
        rows.update("UPDATE certificates SET private_key_pem = (SELECT private_key_pem FROM certificates WHERE id = ?) WHERE id = ?", a, b);
        String moved = keyOf(b);
        assertThatThrownBy(() -> oldOnly.decrypt(moved, CertificateStore.keyAt(b))).hasMessageContaining("moved from another row");
        rotation.pass().await().atMost(Duration.ofSeconds(30));
        assertThat(keyOf(b)).as("left as it was").isEqualTo(moved);
        assertThat(keyOf(a)).startsWith("v2:" + KeyVault.kid(NEW) + ":");
    }

    @Test
    void plain_pem_is_upgraded_only_while_the_one_time_upgrade_is_pending() throws Exception {
        String planted = certificateRow(id -> KeyVaultTest.PEM);
        rotation.pass().await().atMost(Duration.ofSeconds(30));
        assertThat(keyOf(planted)).as("no upgrade pending: a planted plain key stays unreadable").isEqualTo(KeyVaultTest.PEM);
        assertThatThrownBy(() -> newOnly.decrypt(KeyVaultTest.PEM, CertificateStore.keyAt(planted))).hasMessageContaining("format");

        String legacy = certificateRow(id -> KeyVaultTest.PEM);
        String v1 = certificateRow(id -> {
            try {
                return KeyVaultTest.v1(OLD, "V1 KEY");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        rows.update("UPDATE key_vault_state SET legacy_pending = true");
        rotation.pass().await().atMost(Duration.ofSeconds(30));
        assertThat(newOnly.decrypt(keyOf(legacy), CertificateStore.keyAt(legacy))).isEqualTo(KeyVaultTest.PEM);
        assertThat(newOnly.decrypt(keyOf(v1), CertificateStore.keyAt(v1))).isEqualTo("V1 KEY");
        assertThat(rows.string("SELECT legacy_pending::text FROM key_vault_state")).isEqualTo("false");
    }

    /** An active domain with a valid order and a current certificate whose stored key is {@code key.apply(certificateId)}. */
    private String certificateRow(java.util.function.Function<String, String> key) {
        String domain = RandomIds.id();
        String order = RandomIds.id();
        String cert = RandomIds.id();
        rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, created_at, updated_at)
                VALUES (?, ?, 'token', ?, 'active', now(), now())""", domain, "rotation-" + domain + ".example.com", RandomIds.label(20));
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at)
                VALUES (?, ?, 'test', 'test', 'valid', now(), 0, now(), now(), now(), now())""", order, domain);
        rows.update("""
                INSERT INTO certificates (id, domain_id, order_id, chain_pem, private_key_pem, serial, issuer, not_before, not_after,
                                          issued_at, created_at)
                VALUES (?, ?, ?, 'chain', ?, '01', 'test', now(), now() + interval '30 days', now(), now())""", cert, domain, order, key.apply(cert));
        return cert;
    }

    private String keyOf(String certificateId) {
        return rows.string("SELECT private_key_pem FROM certificates WHERE id = ?", certificateId);
    }

    private static double gauge() {
        Matcher m = Pattern.compile("(?m)^key_vault_rows_under_old_keys(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(Management.metrics());
        assertThat(m.find()).as("key_vault_rows_under_old_keys is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
