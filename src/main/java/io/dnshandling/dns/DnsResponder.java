package io.dnshandling.dns;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one DNS query from the in-memory {@link Zone}, as an authoritative-only server: AA on
 * every answer from the zone, NXDOMAIN versus NODATA with the SOA for negative caching (RFC
 * 2308), CNAMEs followed inside the zone, ANY answered with one RRset (RFC 8482), EDNS(0) with
 * the client's buffer size honoured up to our own limit and TC when an answer does not fit (RFC
 * 6891), and REFUSED for anything outside the zone: never recursion, never forwarding.
 *
 * <p>Pure and thread-safe: bytes in, bytes out (or null: nothing to send).
 */
public final class DnsResponder {

    static final int HEADER = 12;
    static final int PLAIN_UDP_LIMIT = 512;
    static final int TCP_LIMIT = 65535;
    private static final int MAX_CNAME_HOPS = 8;

    private final Zone zone;
    private final int maxUdpPayload;
    private final FastAnswers fast;

    public DnsResponder(Zone zone, int maxUdpPayload) {
        this.zone = zone;
        this.maxUdpPayload = Math.max(PLAIN_UDP_LIMIT, Math.min(maxUdpPayload, 65535));
        this.fast = new FastAnswers(zone, this.maxUdpPayload);
    }

    /** Answers a query that came over UDP. */
    public byte[] udp(byte[] query) {
        return respond(query, false);
    }

    /**
     * Answers a UDP query held in {@code query[0..length)} by writing the answer into {@code out},
     * which holds at least {@link #maxUdpPayload()} bytes: the answer's length, or 0 to send
     * nothing. The common query allocates nothing this way; the others go through the full path.
     */
    public int udp(byte[] query, int length, byte[] out) {
        int n = fast.answer(query, length, false, out);
        if (n > 0) {
            return n;
        }
        byte[] full = respondInFull(Arrays.copyOf(query, length), false);
        if (full == null) {
            return 0;
        }
        // A UDP answer never exceeds the payload limit: the full path truncates to it.
        System.arraycopy(full, 0, out, 0, full.length);
        return full.length;
    }

    /** The largest UDP answer this server sends. */
    public int maxUdpPayload() {
        return maxUdpPayload;
    }

    /** Answers a query that came over TCP (no size limit below 64 KiB, no truncation). */
    public byte[] tcp(byte[] query) {
        return respond(query, true);
    }

    byte[] respond(byte[] wire, boolean tcp) {
        byte[] common = fast.answer(wire, tcp);
        return common != null ? common : respondInFull(wire, tcp);
    }

    /** Any query, through dnsjava's parser and encoder: the reference the fast path is held to. */
    byte[] respondInFull(byte[] wire, boolean tcp) {
        if (wire.length < HEADER || (wire[2] & 0x80) != 0) {
            // Too short to carry an id, or a response: never answer those (no reflection loops).
            return null;
        }
        Message query;
        try {
            query = new Message(wire);
        } catch (java.io.IOException | RuntimeException e) {
            return headerOnly(wire, Rcode.FORMERR);
        }
        int opcode = query.getHeader().getOpcode();
        if (opcode != Opcode.QUERY) {
            return headerOnly(wire, Rcode.NOTIMP);
        }
        Record question = query.getQuestion();
        if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) {
            return headerOnly(wire, Rcode.FORMERR);
        }

        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        // The question goes back exactly as asked, case included.
        response.addRecord(question, Section.QUESTION);

        OPTRecord clientOpt = query.getOPT();
        int limit = tcp ? TCP_LIMIT : PLAIN_UDP_LIMIT;
        if (clientOpt != null) {
            if (clientOpt.getVersion() != 0) {
                // RFC 6891 6.1.3: only version 0 exists; BADVERS travels in the OPT's extended rcode.
                response.addRecord(new OPTRecord(maxUdpPayload, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
                response.getHeader().setRcode(Rcode.BADVERS & 0xF);
                return response.toWire(limit);
            }
            if (!tcp) {
                limit = Math.max(PLAIN_UDP_LIMIT, Math.min(clientOpt.getPayloadSize(), maxUdpPayload));
            }
            // DO copied from the query (RFC 3225 section 3): no DNSSEC data here, but the bit is echoed.
            response.addRecord(new OPTRecord(maxUdpPayload, 0, 0, clientOpt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
        }

        answer(question, response);
        return response.toWire(limit);
    }

    private void answer(Record question, Message response) {
        Name qname = question.getName();
        int qtype = question.getType();
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        if (!zone.inZone(qname) || !zone.loaded()) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        if (qtype == Type.AXFR || qtype == Type.IXFR) {
            // Zone transfers are not offered; the zone lives in the database.
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        response.getHeader().setFlag(Flags.AA);

        Name current = qname;
        Set<Name> seen = new HashSet<>();
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            Node node = zone.node(current);
            if (node == null) {
                if (!zone.hasDescendants(current)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                negative(response);
                return;
            }
            // Records at the query's name keep the query's spelling, as it was asked.
            Name owner = current == qname ? qname : current;
            Record cname = node.cname(owner);
            if (cname != null && qtype != Type.CNAME) {
                response.addRecord(cname, Section.ANSWER);
                Name target = ((CNAMERecord) cname).getTarget();
                if (!zone.inZone(target) || !seen.add(current)) {
                    return; // outside our data, or a loop: the resolver takes it from here
                }
                current = target;
                continue;
            }
            List<Record> rrset = rrsetFor(node, owner, qtype);
            if (rrset.isEmpty()) {
                negative(response);
                return;
            }
            for (Record r : rrset) {
                response.addRecord(r, Section.ANSWER);
            }
            return;
        }
    }

    private List<Record> rrsetFor(Node node, Name owner, int qtype) {
        if (qtype == Type.SOA && owner.equals(zone.origin())) {
            return List.of(zone.soa());
        }
        if (qtype == Type.ANY) {
            // RFC 8482: one RRset is a complete answer; the apex's SOA is not listed among them.
            return node.firstRrset(owner);
        }
        return node.get(owner, qtype);
    }

    private void negative(Message response) {
        response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
    }

    /** A header-only answer for queries that cannot be parsed or served (FORMERR, NOTIMP). */
    private static byte[] headerOnly(byte[] query, int rcode) {
        byte[] out = new byte[HEADER];
        out[0] = query[0];
        out[1] = query[1];
        // QR set, opcode and RD copied from the query, everything else clear.
        out[2] = (byte) (0x80 | (query[2] & 0x79));
        out[3] = (byte) (rcode & 0x0F);
        return out;
    }
}
