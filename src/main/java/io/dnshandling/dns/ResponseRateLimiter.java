package io.dnshandling.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
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
 */
final class ResponseRateLimiter {

    enum Decision { SEND, SLIP, DROP }

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final Map<String, Bucket> buckets = new HashMap<>();
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
        Bucket b = buckets.computeIfAbsent(prefix(source), k -> new Bucket(perSecond, now));
        b.tokens = Math.min(perSecond, b.tokens + (double) (now - b.refilled) * perSecond / SECOND);
        b.refilled = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Decision.SEND;
        }
        return b.limited++ % 2 == 0 ? Decision.SLIP : Decision.DROP;
    }

    /** An empty answer with TC set: "ask again over TCP". */
    static byte[] truncated(byte[] answer) {
        try {
            Message full = new Message(answer);
            Message slip = new Message(full.getHeader().getID());
            slip.getHeader().setFlag(Flags.QR);
            slip.getHeader().setFlag(Flags.AA);
            slip.getHeader().setFlag(Flags.TC);
            slip.getHeader().setRcode(full.getRcode());
            if (full.getQuestion() != null) {
                slip.addRecord(full.getQuestion(), Section.QUESTION);
            }
            return slip.toWire();
        } catch (IOException e) {
            return null;
        }
    }

    static String prefix(InetAddress source) {
        byte[] a = source.getAddress();
        int keep = source instanceof Inet4Address ? 3 : 7;
        StringBuilder key = new StringBuilder(keep * 3);
        for (int i = 0; i < keep && i < a.length; i++) {
            key.append(a[i] & 0xFF).append('.');
        }
        return key.toString();
    }

    private void sweep(long now) {
        lastSweep = now;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            if (now - b.refilled > 10 * SECOND) {
                it.remove();
            }
        }
    }

    int prefixesTracked() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilled;
        long limited;

        Bucket(int perSecond, long now) {
            this.tokens = perSecond;
            this.refilled = now;
        }
    }
}
