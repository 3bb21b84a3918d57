package io.dnshandling.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one source of random identifiers and secrets. Everything comes from {@link SecureRandom}:
 * ids never reveal order or count, tokens cannot be guessed.
 */
public final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private RandomIds() {
    }

    /** 16 random bytes as 32 lowercase hex characters: the API's identifier format. */
    public static String id() {
        return HEX.formatHex(bytes(16));
    }

    /**
     * A request id: 32 hex characters from {@link ThreadLocalRandom}. It names a request in logs
     * and responses and guards nothing, so it needs no {@link SecureRandom}, whose shared state
     * every request would otherwise contend for.
     */
    public static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextLong());
    }

    /** 32 random bytes (256 bits) in unpadded base64url: fits a TXT string, safe in URLs. */
    public static String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    /**
     * A DNS label of {@code length} lowercase base32 characters (5 bits each): letters and digits
     * only, so it is a valid hostname label under any zone.
     */
    public static String label(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE32[RANDOM.nextInt(BASE32.length)];
        }
        return new String(out);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
