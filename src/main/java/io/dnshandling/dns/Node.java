package io.dnshandling.dns;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The records stored at one name, grouped by type in the order they were stored; immutable.
 *
 * <p>Each RRset is also kept encoded once, as it goes on the wire after its owner name (type,
 * class, TTL, length, data, for each record), so the common answer is a copy of these bytes
 * behind a pointer to the question's name. Parallel arrays rather than maps: a zone of a million
 * names holds a million of these.
 */
public final class Node {

    private final int[] types;
    private final List<Record>[] rrsets;
    private final byte[][] encoded;

    private Node(int[] types, List<Record>[] rrsets, byte[][] encoded) {
        this.types = types;
        this.rrsets = rrsets;
        this.encoded = encoded;
    }

    @SuppressWarnings("unchecked")
    static Node of(List<Record> records) {
        List<Integer> order = new ArrayList<>();
        List<List<Record>> grouped = new ArrayList<>();
        for (Record r : records) {
            int i = order.indexOf(r.getType());
            if (i < 0) {
                order.add(r.getType());
                grouped.add(new ArrayList<>());
                i = order.size() - 1;
            }
            grouped.get(i).add(r);
        }
        int[] types = new int[order.size()];
        List<Record>[] rrsets = new List[order.size()];
        byte[][] encoded = new byte[order.size()][];
        for (int i = 0; i < types.length; i++) {
            types[i] = order.get(i);
            rrsets[i] = List.copyOf(grouped.get(i));
            encoded[i] = encode(rrsets[i]);
        }
        return new Node(types, rrsets, encoded);
    }

    /** An RRset without its owner names: what follows each owner name on the wire, record after record. */
    private static byte[] encode(List<Record> rrset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Record r : rrset) {
            byte[] whole = r.toWire(Section.ANSWER); // owner uncompressed, then the rest
            int owner = r.getName().length();
            out.write(0); // a two-byte slot per record, for the owner's compression pointer
            out.write(0);
            out.write(whole, owner, whole.length - owner);
        }
        return out.toByteArray();
    }

    private int indexOf(int type) {
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    public List<Record> get(int type) {
        int i = indexOf(type);
        return i < 0 ? List.of() : rrsets[i];
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
        return i < 0 ? 0 : rrsets[i].size();
    }

    public Record cname() {
        int i = indexOf(Type.CNAME);
        return i < 0 ? null : rrsets[i].get(0);
    }

    /** The first RRset stored here, for ANY queries answered minimally (RFC 8482). */
    public List<Record> firstRrset() {
        return rrsets[0];
    }

    public List<Record> all() {
        List<Record> all = new ArrayList<>();
        for (List<Record> rrset : rrsets) {
            all.addAll(rrset);
        }
        return all;
    }
}
