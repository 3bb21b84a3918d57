package io.dnshandling.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * Response-rate limiting for UDP, the technique BIND calls RRL: answers to one source prefix (an
 * IPv4 /24, an IPv6 /56) are limited to {@code perSecond}, with a second's worth as burst. Over
 * the limit, every second answer "slips" as an empty truncated reply, so a real resolver behind a
 * spoofed flood retries over TCP and is served; the rest are dropped. A flood with forged sources
 * thus cannot use this server to amplify traffic at its victim. Used from the UDP socket's one
 * event loop only.
 *
 * <p>Prefixes are numbers and the buckets an open-addressed table keyed by them, so deciding for
 * a query allocates nothing; only a prefix seen for the first time in ten seconds adds a bucket.
 */
final class ResponseRateLimiter {

    enum Decision { SEND, SLIP, DROP }

    private static final long SECOND = 1_000_000_000L;

    private static final int MIN_CAPACITY = 256;
    private static final long IPV6 = 1L << 56;

    private final int perSecond;
    private Bucket[] table = new Bucket[MIN_CAPACITY];
    private int tracked;
    private long lastSweep;

    /** {@code perSecond} 0 turns limiting off. */
    ResponseRateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    Decision decide(InetAddress source, long now) {
        if (perSecond <= 0) {
            return Decision.SEND;
        }
        if (now - lastSweep > 10 * SECOND) {
            sweep(now);
        }
        Bucket b = bucket(prefix(source), now);
        b.tokens = Math.min(perSecond, b.tokens + (double) (now - b.refilled) * perSecond / SECOND);
        b.refilled = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Decision.SEND;
        }
        return b.limited++ % 2 == 0 ? Decision.SLIP : Decision.DROP;
    }

    /**
     * Makes the answer in {@code answer[0..length)} an empty one with TC set ("ask again over TCP"),
     * in place: its new length, never more than {@code length}; 0 when it cannot be read.
     */
    static int truncate(byte[] answer, int length) {
        try {
            Message full = new Message(Arrays.copyOf(answer, length));
            Message slip = new Message(full.getHeader().getID());
            slip.getHeader().setFlag(Flags.QR);
            slip.getHeader().setFlag(Flags.AA);
            slip.getHeader().setFlag(Flags.TC);
            slip.getHeader().setRcode(full.getRcode());
            if (full.getQuestion() != null) {
                slip.addRecord(full.getQuestion(), Section.QUESTION);
            }
            byte[] wire = slip.toWire();
            System.arraycopy(wire, 0, answer, 0, wire.length);
            return wire.length;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The source's prefix as a number: an IPv4 address's first 24 bits, or an IPv6 address's first 56 bits, tagged. */
    static long prefix(InetAddress source) {
        if (source instanceof Inet4Address) {
            return (source.hashCode() >>> 8) & 0xFF_FFFFL; // an IPv4 address's hash code is the address: no copy
        }
        byte[] a = source.getAddress();
        long key = 0;
        for (int i = 0; i < 7; i++) {
            key = key << 8 | (a[i] & 0xFF);
        }
        return IPV6 | key;
    }

    /** The bucket of {@code prefix}, added full when the prefix is new. */
    private Bucket bucket(long prefix, long now) {
        int mask = table.length - 1;
        int i = slot(prefix, mask);
        for (Bucket b = table[i]; b != null; b = table[i]) {
            if (b.prefix == prefix) {
                return b;
            }
            i = (i + 1) & mask;
        }
        Bucket added = new Bucket(prefix, perSecond, now);
        table[i] = added;
        if (++tracked * 2 > table.length) {
            rebuild(table.length * 2);
        }
        return added;
    }

    /** Drops the buckets idle for ten seconds (a full bucket is the same as none). */
    private void sweep(long now) {
        lastSweep = now;
        int live = 0;
        for (int i = 0; i < table.length; i++) {
            Bucket b = table[i];
            if (b != null && now - b.refilled > 10 * SECOND) {
                table[i] = null;
            } else if (b != null) {
                live++;
            }
        }
        tracked = live;
        // Removing leaves holes in the probe chains: place the survivors again.
        int capacity = MIN_CAPACITY;
        while (capacity < live * 4) {
            capacity *= 2;
        }
        rebuild(capacity);
    }

    private void rebuild(int capacity) {
        Bucket[] old = table;
        table = new Bucket[capacity];
        int mask = capacity - 1;
        for (Bucket b : old) {
            if (b != null) {
                int i = slot(b.prefix, mask);
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = b;
            }
        }
    }

    private static int slot(long prefix, int mask) {
        long h = prefix * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32) & mask;
    }

    int prefixesTracked() {
        return tracked;
    }

    private static final class Bucket {
        final long prefix;
        double tokens;
        long refilled;
        long limited;

        Bucket(long prefix, int perSecond, long now) {
            this.prefix = prefix;
            this.tokens = perSecond;
            this.refilled = now;
        }
    }
}
