package io.dnshandling.secrets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts private keys before they reach the database: AES-256-GCM under {@code KEY_ENCRYPTION_KEY}
 * (base64, 32 bytes; from the environment or a Kubernetes Secret). The variable may list several
 * keys, comma-separated: the first encrypts every new write, all of them decrypt, so a key is
 * rotated by putting the new one first; {@link KeyRotation} re-encrypts older rows in the
 * background and says when none is left, and the old key can then be dropped.
 *
 * <p>Each value is bound to where it is stored: the GCM additional data names the format, the
 * table, the column and the row ({@link Binding}), so a value copied into another row or column
 * does not decrypt. Stored values read {@code v2:<kid>:<base64 of IV and ciphertext>}, the kid
 * derived from the key itself. Values of the older formats (plain PEM, and {@code v1} with one
 * constant additional data) are read only by {@link KeyRotation}'s one-time upgrade.
 */
@ApplicationScoped
public class KeyVault {

    static final String VERSION = "v2";
    static final String LEGACY_VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] LEGACY_AAD = "dns-handling private key".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where a value is stored: the additional data it is sealed with. */
    public record Binding(String table, String column, String row) {

        byte[] aad() {
            return ("dns-handling|" + VERSION + "|" + table + "|" + column + "|" + row).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return table + "." + column + " of " + row;
        }
    }

    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final String currentKid;

    @Inject
    KeyVault(@ConfigProperty(name = "key.encryption.key") Optional<String> configured) {
        this(parse(configured.orElse("")));
    }

    public KeyVault(List<byte[]> rawKeys) {
        for (byte[] raw : rawKeys) {
            keys.putIfAbsent(kid(raw), new SecretKeySpec(raw, "AES"));
        }
        this.currentKid = keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    /** {@code plaintext} sealed under the current key for storage at {@code where}. */
    public String encrypt(String plaintext, Binding where) {
        if (currentKid == null) {
            throw new IllegalStateException("KEY_ENCRYPTION_KEY is not set: private keys cannot be stored");
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKid), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(where.aad());
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return VERSION + ":" + currentKid + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** The plaintext of {@code stored}, which must have been sealed for {@code where}. */
    public String decrypt(String stored, Binding where) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new IllegalStateException("the private key at " + where + " is not in the current encrypted format");
        }
        return open(parts, where.aad(), where.toString());
    }

    /** Whether a key-encryption key is configured. */
    boolean canEncrypt() {
        return currentKid != null;
    }

    /** How every value sealed under the key that encrypts new writes begins. */
    String currentPrefix() {
        return VERSION + ":" + currentKid + ":";
    }

    /** The plaintext of a value in an older format (plain PEM, {@code v1}); for the one-time upgrade only. */
    String decryptLegacy(String stored) {
        if (stored.startsWith("-----BEGIN")) {
            return stored;
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(LEGACY_VERSION)) {
            throw new IllegalStateException("not a value of an older format");
        }
        return open(parts, LEGACY_AAD, "a " + LEGACY_VERSION + " value");
    }

    private String open(String[] parts, byte[] aad, String what) {
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("the private key at " + what + " was encrypted with key " + parts[1]
                    + ", which KEY_ENCRYPTION_KEY no longer lists");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(aad);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the private key at " + what + " does not decrypt with key " + parts[1]
                    + " (altered, or moved from another row?)", e);
        }
    }

    /** {@code KEY_ENCRYPTION_KEY}: comma-separated base64 keys of 32 bytes each. */
    public static List<byte[]> parse(String configured) {
        List<byte[]> out = new ArrayList<>();
        for (String part : configured.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("KEY_ENCRYPTION_KEY: an entry is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("KEY_ENCRYPTION_KEY: each key must be 32 bytes (AES-256), one is " + raw.length);
            }
            out.add(raw);
        }
        return out;
    }

    /** A short, stable id for a key that reveals nothing usable about it. */
    static String kid(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
