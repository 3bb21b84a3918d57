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
 * rotated by putting the new one first and dropping the old one once nothing needs it. Each
 * stored value names its key by an id derived from the key itself ({@code v1:<kid>:<base64>}).
 * Values written before encryption existed (plain PEM) still read.
 */
@ApplicationScoped
public class KeyVault {

    static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD = "dns-handling private key".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

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

    public String encrypt(String plaintext) {
        if (currentKid == null) {
            throw new IllegalStateException("KEY_ENCRYPTION_KEY is not set: private keys cannot be stored");
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKid), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(AAD);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return VERSION + ":" + currentKid + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        if (stored.startsWith("-----BEGIN")) {
            return stored; // written before encryption at rest
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new IllegalStateException("stored private key has an unknown format");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("stored private key was encrypted with key " + parts[1]
                    + ", which KEY_ENCRYPTION_KEY no longer lists");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(AAD);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("stored private key does not decrypt with key " + parts[1] + " (altered?)", e);
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
