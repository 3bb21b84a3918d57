package io.dnshandling.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The records stored at one name, grouped by type; immutable. */
public final class Node {

    private final Map<Integer, List<Record>> byType;
    private final List<Record> all;

    private Node(Map<Integer, List<Record>> byType, List<Record> all) {
        this.byType = byType;
        this.all = all;
    }

    static Node of(List<Record> records) {
        Map<Integer, List<Record>> byType = new LinkedHashMap<>();
        for (Record r : records) {
            byType.computeIfAbsent(r.getType(), t -> new ArrayList<>()).add(r);
        }
        byType.replaceAll((t, list) -> List.copyOf(list));
        return new Node(Collections.unmodifiableMap(byType), List.copyOf(records));
    }

    public List<Record> get(int type) {
        return byType.getOrDefault(type, List.of());
    }

    public Record cname() {
        List<Record> c = byType.get(Type.CNAME);
        return c == null ? null : c.get(0);
    }

    /** The first RRset stored here, for ANY queries answered minimally (RFC 8482). */
    public List<Record> firstRrset() {
        return byType.values().iterator().next();
    }

    public List<Record> all() {
        return all;
    }
}
