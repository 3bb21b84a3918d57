package io.dnshandling.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * The common query answered straight from bytes: one question of class IN, at most an EDNS(0)
 * OPT record without options, a name in the zone that holds no CNAME. The answer is the query's header and
 * question followed by the RRset as {@link Node} keeps it encoded, each owner a pointer to the
 * question's name (so it keeps the query's spelling), or by the zone's negative SOA.
 *
 * <p>Anything else, and any answer that would not fit, returns null and goes through
 * {@link DnsResponder}'s full path, whose answers these are byte-equivalent to.
 */
final class FastAnswers {

    private static final int OPT_SIZE = 11;

    private final Zone zone;
    private final int maxUdpPayload;

    FastAnswers(Zone zone, int maxUdpPayload) {
        this.zone = zone;
        this.maxUdpPayload = maxUdpPayload;
    }

    byte[] answer(byte[] q, boolean tcp) {
        int len = q.length;
        if (len < DnsResponder.HEADER || (q[2] & 0xF8) != 0 // a response, or an opcode other than QUERY
                || u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0 || u16(q, 10) > 1) {
            return null;
        }
        int p = DnsResponder.HEADER;
        int labels = 0;
        while (true) {
            if (p >= len) {
                return null;
            }
            int label = q[p] & 0xFF;
            if (label == 0) {
                p++;
                break;
            }
            if (label > 63) {
                return null; // a compression pointer or an extended label type: the full parser decides
            }
            p += 1 + label;
            labels++;
            if (p - DnsResponder.HEADER > 255) {
                return null;
            }
        }
        if (p + 4 > len) {
            return null;
        }
        int qtype = u16(q, p);
        if (u16(q, p + 2) != DClass.IN || qtype == Type.ANY || qtype == Type.AXFR || qtype == Type.IXFR
                || qtype == Type.SOA || qtype == Type.OPT) {
            return null;
        }
        int questionEnd = p + 4;
        int limit = tcp ? DnsResponder.TCP_LIMIT : DnsResponder.PLAIN_UDP_LIMIT;
        int dnssecOk = -1; // -1: no OPT in the query
        if (u16(q, 10) == 1) {
            int o = questionEnd;
            // Root owner, extended rcode and version 0, and no options: anything else (cookies, client
            // subnet, an extended rcode in a query) is for the full parser to judge.
            if (o + OPT_SIZE != len || q[o] != 0 || u16(q, o + 1) != Type.OPT || q[o + 5] != 0 || q[o + 6] != 0
                    || u16(q, o + 9) != 0) {
                return null;
            }
            if (!tcp) {
                limit = Math.max(DnsResponder.PLAIN_UDP_LIMIT, Math.min(u16(q, o + 3), maxUdpPayload));
            }
            dnssecOk = q[o + 7] & 0x80;
        } else if (questionEnd != len) {
            return null;
        }

        Name name;
        try {
            DNSInput in = new DNSInput(q);
            in.jump(DnsResponder.HEADER);
            name = new Name(in);
        } catch (WireParseException | IllegalArgumentException e) {
            return null;
        }
        if (!zone.loaded() || !zone.inZone(name)) {
            return null;
        }
        Node node = zone.node(name);
        byte[] rrset = null;
        int count = 0;
        int rcode = Rcode.NOERROR;
        if (node == null) {
            rcode = zone.hasDescendants(name) ? Rcode.NOERROR : Rcode.NXDOMAIN;
        } else {
            if (node.has(Type.CNAME) && qtype != Type.CNAME) {
                return null; // a chain to follow
            }
            rrset = node.encoded(qtype);
            count = node.count(qtype);
        }
        byte[] soa = rrset == null ? zone.negativeSoa() : null;
        int questionLength = questionEnd - DnsResponder.HEADER;
        int size = DnsResponder.HEADER + questionLength + (rrset != null ? rrset.length : 2 + soa.length)
                + (dnssecOk >= 0 ? OPT_SIZE : 0);
        if (size > limit) {
            return null; // the full path truncates
        }

        byte[] out = new byte[size];
        out[0] = q[0];
        out[1] = q[1];
        out[2] = (byte) (0x80 | 0x04 | (q[2] & 0x01)); // QR, AA, RD as asked
        out[3] = (byte) rcode;
        out[5] = 1;
        put16(out, 6, count);
        put16(out, 8, rrset == null ? 1 : 0);
        put16(out, 10, dnssecOk >= 0 ? 1 : 0);
        System.arraycopy(q, DnsResponder.HEADER, out, DnsResponder.HEADER, questionLength);
        int w = DnsResponder.HEADER + questionLength;
        if (rrset != null) {
            System.arraycopy(rrset, 0, out, w, rrset.length);
            for (int r = w, end = w + rrset.length; r < end; r += 12 + u16(out, r + 10)) {
                put16(out, r, 0xC000 | DnsResponder.HEADER); // the owner is the question's name
            }
            w += rrset.length;
        } else {
            // The SOA's owner is the zone's origin: the tail of the question's name.
            int at = DnsResponder.HEADER;
            for (int skip = labels - (zone.origin().labels() - 1); skip > 0; skip--) {
                at += 1 + (q[at] & 0xFF);
            }
            put16(out, w, 0xC000 | at);
            System.arraycopy(soa, 0, out, w + 2, soa.length);
            w += 2 + soa.length;
        }
        if (dnssecOk >= 0) {
            // OPT: root owner, type, our payload size, extended rcode 0, version 0, DO as asked (RFC 3225).
            put16(out, w + 1, Type.OPT);
            put16(out, w + 3, maxUdpPayload);
            out[w + 7] = (byte) dnssecOk;
        }
        return out;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
