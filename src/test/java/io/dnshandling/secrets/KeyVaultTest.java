package io.dnshandling.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyVaultTest {

    static final String PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE...\n-----END EC PRIVATE KEY-----\n";

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void what_is_stored_holds_no_plaintext_and_reads_back() {
        KeyVault vault = new KeyVault(List.of(key()));
        String stored = vault.encrypt(PEM);
        assertThat(stored).startsWith("v1:").doesNotContain("PRIVATE KEY").doesNotContain("MHcCAQEE");
        assertThat(vault.decrypt(stored)).isEqualTo(PEM);
        assertThat(vault.encrypt(PEM)).as("a fresh IV every time").isNotEqualTo(stored);
    }

    @Test
    void after_rotation_new_writes_use_the_new_key_and_old_rows_still_read() {
        byte[] oldKey = key();
        byte[] newKey = key();
        String writtenBefore = new KeyVault(List.of(oldKey)).encrypt(PEM);
        KeyVault rotated = new KeyVault(List.of(newKey, oldKey));
        assertThat(rotated.decrypt(writtenBefore)).isEqualTo(PEM);
        assertThat(rotated.encrypt(PEM)).startsWith("v1:" + KeyVault.kid(newKey) + ":");
        assertThatThrownBy(() -> new KeyVault(List.of(newKey)).decrypt(writtenBefore))
                .hasMessageContaining("no longer lists");
    }

    @Test
    void an_altered_value_is_detected() {
        KeyVault vault = new KeyVault(List.of(key()));
        String stored = vault.encrypt(PEM);
        char[] chars = stored.toCharArray();
        int i = chars.length - 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> vault.decrypt(new String(chars))).hasMessageContaining("altered");
    }

    @Test
    void plain_pem_written_before_encryption_still_reads() {
        assertThat(new KeyVault(List.of(key())).decrypt(PEM)).isEqualTo(PEM);
    }

    @Test
    void configuration_is_checked() {
        assertThat(KeyVault.parse(" , ")).isEmpty();
        String k1 = Base64.getEncoder().encodeToString(key());
        String k2 = Base64.getEncoder().encodeToString(key());
        assertThat(KeyVault.parse(k1 + ", " + k2)).hasSize(2);
        assertThatThrownBy(() -> KeyVault.parse("not base64!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> KeyVault.parse(Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new KeyVault(List.of()).encrypt(PEM)).hasMessageContaining("KEY_ENCRYPTION_KEY is not set");
    }
}
