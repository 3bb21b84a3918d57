package io.dnshandling.dns;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the zone holds at one name, read from its entry in the {@link NameTable}: one byte array
 * laid out as
 * <pre>
 *   name length (1) | name, lower-case wire form | names with data below it (4) |
 *   per RRset, in the order stored: type (2) | length (4) | the RRset encoded
 * </pre>
 * An RRset is encoded once, as it goes on the wire after each record's owner name: a two-byte
 * slot where an answer writes the pointer to the question's name, then type, class, TTL, data
 * length and data. The common answer copies these bytes ({@link FastAnswers}); the rarer answers
 * built with dnsjava decode records from them through this view. An entry without RRsets is an
 * empty non-terminal: a name that exists only because names below it do.
 */
public final class Node {

    /** Bytes of each encoded record before its data: owner slot, type, class, TTL, data length. */
    static final int FIXED = 12;

    private final byte[] entry;

    Node(byte[] entry) {
        this.entry = entry;
    }

    /** An entry for {@code name} (lower-case wire form) holding {@code records}, all owned by that name. */
    static byte[] entry(byte[] name, int below, List<Record> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(name.length);
        out.writeBytes(name);
        writeInt(out, below);
        List<Integer> types = new ArrayList<>();
        for (Record r : records) {
            if (!types.contains(r.getType())) {
                types.add(r.getType());
            }
        }
        for (int type : types) {
            ByteArrayOutputStream rrset = new ByteArrayOutputStream();
            for (Record r : records) {
                if (r.getType() == type) {
                    byte[] whole = r.toWire(Section.ANSWER); // owner uncompressed, then the rest
                    int owner = r.getName().length();
                    rrset.write(0);
                    rrset.write(0);
                    rrset.write(whole, owner, whole.length - owner);
                }
            }
            out.write(type >>> 8);
            out.write(type);
            writeInt(out, rrset.size());
            out.writeBytes(rrset.toByteArray());
        }
        return out.toByteArray();
    }

    /** The same entry with another count of names with data below it. */
    static byte[] withBelow(byte[] entry, int below) {
        byte[] copy = entry.clone();
        int at = belowAt(entry);
        copy[at] = (byte) (below >>> 24);
        copy[at + 1] = (byte) (below >>> 16);
        copy[at + 2] = (byte) (below >>> 8);
        copy[at + 3] = (byte) below;
        return copy;
    }

    static int below(byte[] entry) {
        return int32(entry, belowAt(entry));
    }

    static boolean hasData(byte[] entry) {
        return entry.length > rrsetsAt(entry);
    }

    /** Where the encoded RRset of {@code type} starts in {@code entry}, or -1; its length is {@link #rrsetLength}. */
    static int rrset(byte[] entry, int type) {
        for (int at = rrsetsAt(entry); at < entry.length; at += 6 + int32(entry, at + 2)) {
            if (u16(entry, at) == type) {
                return at + 6;
            }
        }
        return -1;
    }

    static int rrsetLength(byte[] entry, int start) {
        return int32(entry, start - 4);
    }

    /** How many records the RRset at {@code start} holds. */
    static int count(byte[] entry, int start) {
        int n = 0;
        for (int p = start, end = start + rrsetLength(entry, start); p < end; p += FIXED + u16(entry, p + 10)) {
            n++;
        }
        return n;
    }

    /** The RRset of {@code type}, as records owned by {@code owner}; empty when there is none. */
    public List<Record> get(Name owner, int type) {
        int at = rrset(entry, type);
        return at < 0 ? List.of() : decode(owner, at);
    }

    boolean has(int type) {
        return rrset(entry, type) >= 0;
    }

    /** The CNAME stored here, owned by {@code owner}, or null. */
    public Record cname(Name owner) {
        int at = rrset(entry, Type.CNAME);
        return at < 0 ? null : decode(owner, at).get(0);
    }

    /** The first RRset stored here, for ANY queries answered minimally (RFC 8482). */
    public List<Record> firstRrset(Name owner) {
        return decode(owner, rrsetsAt(entry) + 6);
    }

    public List<Record> all(Name owner) {
        List<Record> all = new ArrayList<>();
        for (int at = rrsetsAt(entry); at < entry.length; at += 6 + int32(entry, at + 2)) {
            all.addAll(decode(owner, at + 6));
        }
        return all;
    }

    private List<Record> decode(Name owner, int start) {
        List<Record> out = new ArrayList<>();
        for (int p = start, end = start + rrsetLength(entry, start); p < end; ) {
            int length = u16(entry, p + 10);
            long ttl = ((long) u16(entry, p + 6) << 16) | u16(entry, p + 8);
            out.add(Record.newRecord(owner, u16(entry, p + 2), u16(entry, p + 4), ttl,
                    Arrays.copyOfRange(entry, p + FIXED, p + FIXED + length)));
            p += FIXED + length;
        }
        return out;
    }

    /** Where the count of names below starts: after the name's length byte and the name. */
    private static int belowAt(byte[] entry) {
        return 1 + (entry[0] & 0xFF);
    }

    /** Where the RRsets start: after the count of names below. */
    private static int rrsetsAt(byte[] entry) {
        return belowAt(entry) + 4;
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
