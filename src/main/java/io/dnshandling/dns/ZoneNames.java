package io.dnshandling.dns;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The names of one zone and what each holds ({@link NameTable}), with the bookkeeping that tells
 * an empty non-terminal from a missing name: every name counts the names with data below it, and
 * a name with none of its own is kept, without RRsets, exactly while that count is above zero.
 * One writer at a time.
 */
final class ZoneNames {

    private final Name origin;
    private final NameTable table;
    private int withData;

    ZoneNames(Name origin, int expected) {
        this.origin = origin;
        this.table = new NameTable(expected);
    }

    /** The entry of the name at {@code wire[at..at+length)}, or null. */
    byte[] find(byte[] wire, int at, int length) {
        return table.get(wire, at, length);
    }

    byte[] find(Name name) {
        byte[] key = key(name);
        return table.get(key, 0, key.length);
    }

    /** Names that hold records. */
    int size() {
        return withData;
    }

    /** Stores {@code records} at {@code name} (in the zone), replacing what was there; none removes them. */
    void set(Name name, List<Record> records) {
        byte[] key = key(name);
        byte[] old = table.get(key, 0, key.length);
        boolean had = old != null && Node.hasData(old);
        int below = old == null ? 0 : Node.below(old);
        if (records.isEmpty()) {
            if (!had) {
                return;
            }
            if (below > 0) {
                table.put(Node.entry(key, below, List.of()));
            } else {
                table.remove(key);
            }
            withData--;
            countAbove(name, -1);
            return;
        }
        table.put(Node.entry(key, below, records));
        if (!had) {
            withData++;
            countAbove(name, 1);
        }
    }

    /** Adds {@code delta} to the count of every name between {@code name} and the origin, both excluded. */
    private void countAbove(Name name, int delta) {
        for (Name above = parent(name); above.labels() > origin.labels(); above = parent(above)) {
            byte[] key = key(above);
            byte[] e = table.get(key, 0, key.length);
            int below = (e == null ? 0 : Node.below(e)) + delta;
            if (below <= 0 && (e == null || !Node.hasData(e))) {
                table.remove(key);
            } else {
                table.put(e == null ? Node.entry(key, below, List.of()) : Node.withBelow(e, below));
            }
        }
    }

    private static Name parent(Name name) {
        return new Name(name, 1);
    }

    /** A name in lower-case wire form: the key it is stored under. */
    static byte[] key(Name name) {
        return name.toWireCanonical();
    }
}
