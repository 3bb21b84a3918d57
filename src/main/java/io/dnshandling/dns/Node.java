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
 * The records stored at one name, grouped by type in the order they were stored; immutable.
 *
 * <p>Held only as encoded for the wire, once per RRset: after each record's owner name (a
 * two-byte slot where an answer writes the pointer to the question's name), its type, class,
 * TTL, length and data. The common answer copies these bytes; the rarer answers built with
 * dnsjava decode records from them. Two small arrays per name: a zone of a million names holds
 * a million of these.
 */
public final class Node {

    private static final int FIXED = 12; // owner slot, type, class, TTL, data length

    private final int[] types;
    private final byte[][] encoded;

    private Node(int[] types, byte[][] encoded) {
        this.types = types;
        this.encoded = encoded;
    }

    static Node of(List<Record> records) {
        List<Integer> order = new ArrayList<>();
        List<ByteArrayOutputStream> grouped = new ArrayList<>();
        for (Record r : records) {
            int i = order.indexOf(r.getType());
            if (i < 0) {
                order.add(r.getType());
                grouped.add(new ByteArrayOutputStream());
                i = order.size() - 1;
            }
            byte[] whole = r.toWire(Section.ANSWER); // owner uncompressed, then the rest
            int owner = r.getName().length();
            ByteArrayOutputStream out = grouped.get(i);
            out.write(0);
            out.write(0);
            out.write(whole, owner, whole.length - owner);
        }
        int[] types = new int[order.size()];
        byte[][] encoded = new byte[order.size()][];
        for (int i = 0; i < types.length; i++) {
            types[i] = order.get(i);
            encoded[i] = grouped.get(i).toByteArray();
        }
        return new Node(types, encoded);
    }

    private int indexOf(int type) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** The RRset of {@code type}, as records owned by {@code owner}; empty when there is none. */
    public List<Record> get(Name owner, int type) {
        int i = indexOf(type);
        return i < 0 ? List.of() : decode(owner, encoded[i]);
    }

    /**
     * The RRset of {@code type} encoded for the wire, each record preceded by a two-byte slot
     * where the answer writes its owner's compression pointer; null when there is none.
     */
    byte[] encoded(int type) {
        int i = indexOf(type);
        return i < 0 ? null : encoded[i];
    }

    /** How many records the RRset of {@code type} holds. */
    int count(int type) {
        int i = indexOf(type);
        if (i < 0) {
            return 0;
        }
        int n = 0;
        for (int p = 0; p < encoded[i].length; p += FIXED + u16(encoded[i], p + 10)) {
            n++;
        }
        return n;
    }

    boolean has(int type) {
        return indexOf(type) >= 0;
    }

    /** The CNAME stored here, owned by {@code owner}, or null. */
    public Record cname(Name owner) {
        int i = indexOf(Type.CNAME);
        return i < 0 ? null : decode(owner, encoded[i]).get(0);
    }

    /** The first RRset stored here, for ANY queries answered minimally (RFC 8482). */
    public List<Record> firstRrset(Name owner) {
        return decode(owner, encoded[0]);
    }

    public List<Record> all(Name owner) {
        List<Record> all = new ArrayList<>();
        for (byte[] rrset : encoded) {
            all.addAll(decode(owner, rrset));
        }
        return all;
    }

    private static List<Record> decode(Name owner, byte[] rrset) {
        List<Record> out = new ArrayList<>();
        for (int p = 0; p < rrset.length; ) {
            int length = u16(rrset, p + 10);
            long ttl = ((long) u16(rrset, p + 6) << 16) | u16(rrset, p + 8);
            out.add(Record.newRecord(owner, u16(rrset, p + 2), u16(rrset, p + 4), ttl,
                    Arrays.copyOfRange(rrset, p + FIXED, p + FIXED + length)));
            p += FIXED + length;
        }
        return out;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
