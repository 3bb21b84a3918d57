package io.dnshandling.dns;

import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The common query answered straight from bytes: one question of class IN, at most an EDNS(0)
 * OPT record without options, a name in the zone that holds no CNAME. The answer is the query's header and
 * question followed by the RRset as {@link Node} keeps it encoded, each owner a pointer to the
 * question's name (so it keeps the query's spelling), or by the zone's negative SOA.
 *
 * <p>Anything else, and any answer that would not fit, goes through {@link DnsResponder}'s full
 * path, whose answers these are byte-equivalent to.
 *
 * <p>The UDP loop calls {@link #answer(byte[], int, boolean, byte[])} with buffers it owns and
 * reuses, so the common answer allocates nothing: every byte of an answer is written, none is
 * taken from a fresh array's zeros, and nothing past the query's length is read.
 */
final class FastAnswers {

    private static final int OPT_SIZE = 11;

    private final Zone zone;
    private final int maxUdpPayload;

    FastAnswers(Zone zone, int maxUdpPayload) {
        this.zone = zone;
        this.maxUdpPayload = maxUdpPayload;
    }

    /** The answer in an array of its own, or null when the full path answers. */
    byte[] answer(byte[] q, boolean tcp) {
        byte[] out = new byte[DnsResponder.PLAIN_UDP_LIMIT];
        int n = answer(q, q.length, tcp, out);
        if (n < 0) {
            out = new byte[-n];
            n = answer(q, q.length, tcp, out);
        }
        return n <= 0 ? null : n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Answers the query in {@code q[0..len)} into {@code out}: the answer's length; 0 when the full
     * path answers; minus the length needed when the answer would not fit {@code out} (never for
     * UDP when {@code out} holds the largest UDP payload).
     */
    int answer(byte[] q, int len, boolean tcp, byte[] out) {
        if (len < DnsResponder.HEADER || (q[2] & 0xF8) != 0 // a response, or an opcode other than QUERY
                || Node.u16(q, 4) != 1 || Node.u16(q, 6) != 0 || Node.u16(q, 8) != 0 || Node.u16(q, 10) > 1) {
            return 0;
        }
        int p = DnsResponder.HEADER;
        while (true) {
            if (p >= len) {
                return 0;
            }
            int label = q[p] & 0xFF;
            if (label == 0) {
                p++;
                break;
            }
            if (label > 63) {
                return 0; // a compression pointer or an extended label type: the full parser decides
            }
            p += 1 + label;
            if (p - DnsResponder.HEADER > 255) {
                return 0;
            }
        }
        if (p + 4 > len) {
            return 0;
        }
        int nameLength = p - DnsResponder.HEADER;
        int qtype = Node.u16(q, p);
        if (Node.u16(q, p + 2) != DClass.IN || qtype == Type.ANY || qtype == Type.AXFR || qtype == Type.IXFR
                || qtype == Type.SOA || qtype == Type.OPT) {
            return 0;
        }
        int questionEnd = p + 4;
        int limit = tcp ? DnsResponder.TCP_LIMIT : DnsResponder.PLAIN_UDP_LIMIT;
        int dnssecOk = -1; // -1: no OPT in the query
        if (Node.u16(q, 10) == 1) {
            int o = questionEnd;
            // Root owner, extended rcode and version 0, and no options: anything else (cookies, client
            // subnet, an extended rcode in a query) is for the full parser to judge.
            if (o + OPT_SIZE != len || q[o] != 0 || Node.u16(q, o + 1) != Type.OPT || q[o + 5] != 0 || q[o + 6] != 0
                    || Node.u16(q, o + 9) != 0) {
                return 0;
            }
            if (!tcp) {
                limit = Math.max(DnsResponder.PLAIN_UDP_LIMIT, Math.min(Node.u16(q, o + 3), maxUdpPayload));
            }
            dnssecOk = q[o + 7] & 0x80;
        } else if (questionEnd != len) {
            return 0;
        }

        // In the zone: the name ends with the origin's labels. The origin is then also where the
        // SOA of a negative answer points.
        byte[] origin = zone.originWire();
        int originAt = DnsResponder.HEADER + nameLength - origin.length;
        if (!zone.loaded() || originAt < DnsResponder.HEADER || !labelStart(q, originAt) || !sameName(q, originAt, origin)) {
            return 0;
        }
        byte[] entry = zone.entry(q, DnsResponder.HEADER, nameLength);
        int rrsetAt = -1;
        int rcode = entry == null ? Rcode.NXDOMAIN : Rcode.NOERROR; // an entry without data is an empty non-terminal
        if (entry != null && Node.hasData(entry)) {
            if (qtype != Type.CNAME && Node.rrset(entry, Type.CNAME) >= 0) {
                return 0; // a chain to follow
            }
            rrsetAt = Node.rrset(entry, qtype);
        }
        boolean answered = rrsetAt >= 0;
        int rrsetLength = answered ? Node.rrsetLength(entry, rrsetAt) : 0;
        byte[] soa = answered ? null : zone.negativeSoaEncoded();
        int questionLength = questionEnd - DnsResponder.HEADER;
        int size = DnsResponder.HEADER + questionLength + (answered ? rrsetLength : 2 + soa.length)
                + (dnssecOk >= 0 ? OPT_SIZE : 0);
        if (size > limit) {
            return 0; // the full path truncates
        }

        if (size > out.length) {
            return -size;
        }
        out[0] = q[0];
        out[1] = q[1];
        out[2] = (byte) (0x80 | 0x04 | (q[2] & 0x01)); // QR, AA, RD as asked
        out[3] = (byte) rcode;
        put16(out, 4, 1);
        put16(out, 6, answered ? Node.count(entry, rrsetAt) : 0);
        put16(out, 8, answered ? 0 : 1);
        put16(out, 10, dnssecOk >= 0 ? 1 : 0);
        System.arraycopy(q, DnsResponder.HEADER, out, DnsResponder.HEADER, questionLength);
        int w = DnsResponder.HEADER + questionLength;
        if (answered) {
            System.arraycopy(entry, rrsetAt, out, w, rrsetLength);
            for (int r = w, end = w + rrsetLength; r < end; r += Node.FIXED + Node.u16(out, r + 10)) {
                put16(out, r, 0xC000 | DnsResponder.HEADER); // the owner is the question's name
            }
            w += rrsetLength;
        } else {
            put16(out, w, 0xC000 | originAt); // the SOA's owner, the origin: the tail of the question's name
            System.arraycopy(soa, 0, out, w + 2, soa.length);
            w += 2 + soa.length;
        }
        if (dnssecOk >= 0) {
            // OPT: root owner, type, our payload size, extended rcode 0, version 0, DO as asked (RFC 3225),
            // no data.
            out[w] = 0;
            put16(out, w + 1, Type.OPT);
            put16(out, w + 3, maxUdpPayload);
            put16(out, w + 5, 0);
            put16(out, w + 7, dnssecOk << 8);
            put16(out, w + 9, 0);
        }
        return size;
    }

    /** True when a label of the question's name starts at {@code at}. */
    private static boolean labelStart(byte[] q, int at) {
        int p = DnsResponder.HEADER;
        while (p < at) {
            p += 1 + (q[p] & 0xFF);
        }
        return p == at;
    }

    private static boolean sameName(byte[] q, int at, byte[] lowerCase) {
        for (int k = 0; k < lowerCase.length; k++) {
            if (NameTable.lower(q[at + k]) != lowerCase[k]) {
                return false;
            }
        }
        return true;
    }

    private static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
