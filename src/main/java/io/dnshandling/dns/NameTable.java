package io.dnshandling.dns;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The zone's names, each one byte array ({@link Node}'s entry: the name in lower-case wire form,
 * then what is stored there) in an open-addressed table with linear probing. One object per
 * name, so a million names are a million small arrays the collector hardly has to look at, and a
 * query is looked up straight from the bytes it arrived in, without building a name.
 *
 * <p>One writer at a time; any number of readers, without locks. Slots are published with
 * volatile semantics, a removed name leaves a marker that probes pass over, and growing builds a
 * new array that replaces the old one whole.
 */
final class NameTable {

    private static final byte[] REMOVED = new byte[0];
    private static final int MIN_CAPACITY = 1024;

    private volatile AtomicReferenceArray<byte[]> slots;
    // Writer only.
    private int live;
    private int used;

    NameTable(int expected) {
        slots = new AtomicReferenceArray<>(capacityFor(expected));
    }

    /** Names held, empty non-terminals included. */
    int size() {
        return live;
    }

    /** The entry for the name at {@code wire[at..at+length)} (any case), or null. */
    byte[] get(byte[] wire, int at, int length) {
        AtomicReferenceArray<byte[]> table = slots;
        int mask = table.length() - 1;
        for (int i = hash(wire, at, length) & mask; ; i = (i + 1) & mask) {
            byte[] e = table.get(i);
            if (e == null) {
                return null;
            }
            if (e != REMOVED && sameName(e, wire, at, length)) {
                return e;
            }
        }
    }

    /** Stores {@code entry}, replacing any entry for the same name. */
    void put(byte[] entry) {
        AtomicReferenceArray<byte[]> table = slots;
        int mask = table.length() - 1;
        int free = -1;
        for (int i = hash(entry, 1, entry[0] & 0xFF) & mask; ; i = (i + 1) & mask) {
            byte[] e = table.get(i);
            if (e == null) {
                if (free < 0) {
                    free = i;
                    used++;
                }
                break;
            }
            if (e == REMOVED) {
                if (free < 0) {
                    free = i;
                }
            } else if (sameName(e, entry, 1, entry[0] & 0xFF)) {
                table.set(i, entry);
                return;
            }
        }
        table.set(free, entry);
        live++;
        if (used * 2 > table.length()) {
            grow();
        }
    }

    /** Removes the entry for {@code name} (lower-case wire form), if any. */
    void remove(byte[] name) {
        AtomicReferenceArray<byte[]> table = slots;
        int mask = table.length() - 1;
        for (int i = hash(name, 0, name.length) & mask; ; i = (i + 1) & mask) {
            byte[] e = table.get(i);
            if (e == null) {
                return;
            }
            if (e != REMOVED && sameName(e, name, 0, name.length)) {
                table.set(i, REMOVED);
                live--;
                return;
            }
        }
    }

    private void grow() {
        AtomicReferenceArray<byte[]> old = slots;
        AtomicReferenceArray<byte[]> next = new AtomicReferenceArray<>(capacityFor(live));
        int mask = next.length() - 1;
        for (int j = 0; j < old.length(); j++) {
            byte[] e = old.get(j);
            if (e != null && e != REMOVED) {
                int i = hash(e, 1, e[0] & 0xFF) & mask;
                while (next.get(i) != null) {
                    i = (i + 1) & mask;
                }
                next.set(i, e);
            }
        }
        used = live;
        slots = next;
    }

    /** Room for {@code n} names at a quarter full, so growing is rare and probes stay short. */
    private static int capacityFor(int n) {
        int capacity = MIN_CAPACITY;
        while (capacity < n * 4L && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        return capacity;
    }

    private static boolean sameName(byte[] entry, byte[] wire, int at, int length) {
        if ((entry[0] & 0xFF) != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (entry[1 + k] != lower(wire[at + k])) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the lower-cased bytes, then mixed so that nearby names spread over the table. */
    private static int hash(byte[] wire, int at, int length) {
        int h = 0x811c9dc5;
        for (int k = 0; k < length; k++) {
            h = (h ^ lower(wire[at + k])) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** ASCII lower case; wire names compare case-insensitively (RFC 4343), length bytes included harmlessly. */
    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
