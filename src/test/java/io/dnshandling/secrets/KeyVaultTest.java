package io.dnshandling.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyVaultTest {

    static final String PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE...\n-----END EC PRIVATE KEY-----\n";
    static final KeyVault.Binding ROW_A = new KeyVault.Binding("certificates", "private_key_pem", "a");

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** A value as the first encrypted format wrote it: one constant additional data for every row. */
    static String v1(byte[] key, String plaintext) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD("dns-handling private key".getBytes(StandardCharsets.US_ASCII));
        byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[iv.length + sealed.length];
        System.arraycopy(iv, 0, out, 0, iv.length);
        System.arraycopy(sealed, 0, out, iv.length, sealed.length);
        return "v1:" + KeyVault.kid(key) + ":" + Base64.getEncoder().encodeToString(out);
    }

    @Test
    void what_is_stored_holds_no_plaintext_and_reads_back_at_its_row() {
        KeyVault vault = new KeyVault(List.of(key()));
        String stored = vault.encrypt(PEM, ROW_A);
        assertThat(stored).startsWith("v2:").doesNotContain("PRIVATE KEY");
        assertThat(vault.decrypt(stored, ROW_A)).isEqualTo(PEM);
        assertThat(vault.encrypt(PEM, ROW_A)).as("a fresh IV every time").isNotEqualTo(stored);
    }

    @Test
    void a_value_moved_to_another_row_or_column_does_not_decrypt() {
        KeyVault vault = new KeyVault(List.of(key()));
        String stored = vault.encrypt(PEM, ROW_A);
        for (KeyVault.Binding elsewhere : List.of(new KeyVault.Binding("certificates", "private_key_pem", "b"),
                new KeyVault.Binding("acme_orders", "certificate_key_pem", "a"),
                new KeyVault.Binding("certificates", "chain_pem", "a"))) {
            assertThatThrownBy(() -> vault.decrypt(stored, elsewhere)).as(elsewhere.toString()).hasMessageContaining("moved from another row");
        }
    }

    @Test
    void after_rotation_new_writes_use_the_new_key_and_old_rows_still_read() {
        byte[] oldKey = key();
        byte[] newKey = key();
        String writtenBefore = new KeyVault(List.of(oldKey)).encrypt(PEM, ROW_A);
        KeyVault rotated = new KeyVault(List.of(newKey, oldKey));
        assertThat(rotated.decrypt(writtenBefore, ROW_A)).isEqualTo(PEM);
        assertThat(rotated.encrypt(PEM, ROW_A)).startsWith(rotated.currentPrefix()).startsWith("v2:" + KeyVault.kid(newKey) + ":");
        assertThatThrownBy(() -> new KeyVault(List.of(newKey)).decrypt(writtenBefore, ROW_A))
                .hasMessageContaining("no longer lists");
    }

    @Test
    void an_altered_value_is_detected() {
        KeyVault vault = new KeyVault(List.of(key()));
        String stored = vault.encrypt(PEM, ROW_A);
        // Flip one bit of the ciphertext itself (not a base64 character whose low bits are padding).
        int colon = stored.lastIndexOf(':');
        byte[] sealed = Base64.getDecoder().decode(stored.substring(colon + 1));
        sealed[sealed.length / 2] ^= 1;
        String altered = stored.substring(0, colon + 1) + Base64.getEncoder().encodeToString(sealed);
        assertThatThrownBy(() -> vault.decrypt(altered, ROW_A)).hasMessageContaining("altered");
    }

    @Test
    void plain_pem_and_v1_values_are_refused_by_every_read_and_only_the_upgrade_opens_them() throws Exception {
        byte[] k = key();
        KeyVault vault = new KeyVault(List.of(k));
        String legacy = v1(k, PEM);
        assertThatThrownBy(() -> vault.decrypt(PEM, ROW_A)).hasMessageContaining("not in the current encrypted format");
        assertThatThrownBy(() -> vault.decrypt(legacy, ROW_A)).hasMessageContaining("not in the current encrypted format");
        assertThat(vault.decryptLegacy(PEM)).isEqualTo(PEM);
        assertThat(vault.decryptLegacy(legacy)).isEqualTo(PEM);
    }

    @Test
    void configuration_is_checked() {
        assertThat(KeyVault.parse(" , ")).isEmpty();
        String k1 = Base64.getEncoder().encodeToString(key());
        String k2 = Base64.getEncoder().encodeToString(key());
        assertThat(KeyVault.parse(k1 + ", " + k2)).hasSize(2);
        assertThatThrownBy(() -> KeyVault.parse("not base64!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> KeyVault.parse(Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new KeyVault(List.of()).encrypt(PEM, ROW_A)).hasMessageContaining("KEY_ENCRYPTION_KEY is not set");
    }
}
