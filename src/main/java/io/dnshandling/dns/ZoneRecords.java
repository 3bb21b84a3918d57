package io.dnshandling.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Records gathered for the zone, by owner name, while it is (re)loaded. */
public final class ZoneRecords {

    private final Name origin;
    private final Map<Name, List<Record>> byName = new HashMap<>();

    ZoneRecords(Name origin) {
        this.origin = origin;
    }

    /** The served zone. */
    public Name origin() {
        return origin;
    }

    public void add(Record record) {
        byName.computeIfAbsent(record.getName(), k -> new ArrayList<>()).add(record);
    }

    /** Makes sure {@code name} is in the result, with no records when nothing is added there. */
    void expect(Name name) {
        byName.computeIfAbsent(name, k -> new ArrayList<>());
    }

    Map<Name, List<Record>> byName() {
        return byName;
    }
}
