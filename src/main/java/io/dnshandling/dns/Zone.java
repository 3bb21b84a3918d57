package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The zone the built-in server is authoritative for, held in memory: the DNS query path reads
 * only this, never the database. Names are kept in DNS canonical order, so "does anything exist
 * below this name" (an empty non-terminal, answered NODATA rather than NXDOMAIN) is one lookup.
 *
 * <p>Only {@link ZoneSync} writes here; readers see each name's records replaced atomically.
 */
@ApplicationScoped
public class Zone {

    static final long APEX_TTL = 3600;

    private final Name origin;
    private final List<Name> nameservers;
    private final Name hostmaster;
    private final long negativeTtl;
    private final Clock clock;
    private final AtomicLong serial = new AtomicLong();
    // Exact lookups (every query) go to the hash map; the ordered set of names is consulted only
    // for names that have no records, to tell an empty non-terminal from a missing name.
    private volatile Index index = new Index(new ConcurrentHashMap<>(), new ConcurrentSkipListSet<>());
    private volatile SOARecord soa;
    private volatile byte[] negativeSoa;
    private volatile boolean loaded;

    Zone(@ConfigProperty(name = "base.domain") String baseDomain, DnsConfig config, Clock clock) {
        this.clock = clock;
        this.origin = absolute(baseDomain);
        this.nameservers = config.server().nameservers()
                .map(list -> list.stream().map(Zone::absolute).toList())
                .filter(list -> !list.isEmpty())
                .orElse(List.of(child("ns1", origin)));
        this.hostmaster = config.server().hostmaster().map(Zone::absolute).orElse(child("hostmaster", origin));
        this.negativeTtl = config.server().negativeTtl();
        bumpSerial();
    }

    public Name origin() {
        return origin;
    }

    public boolean inZone(Name name) {
        return name.subdomain(origin);
    }

    /** The records at {@code name}, or null when nothing is stored exactly there. */
    public Node node(Name name) {
        return index.nodes.get(name);
    }

    /** True when some name below {@code name} has records: {@code name} exists as an empty non-terminal. */
    public boolean hasDescendants(Name name) {
        Name next = index.names.higher(name);
        return next != null && next.subdomain(name);
    }

    public SOARecord soa() {
        return soa;
    }

    /**
     * The SOA as it goes into a negative answer (RFC 2308 section 3: its TTL the lesser of its
     * own and its minimum), encoded after its owner name, as {@link Node#encoded} is.
     */
    byte[] negativeSoa() {
        return negativeSoa;
    }

    public boolean loaded() {
        return loaded;
    }

    public long serial() {
        return serial.get();
    }

    public int size() {
        return index.nodes.size();
    }

    /** Replaces the whole zone (startup, reconnect, periodic safety net). */
    void replaceAll(Map<Name, List<Record>> recordsByName) {
        Index next = new Index(new ConcurrentHashMap<>(recordsByName.size() * 2), new ConcurrentSkipListSet<>());
        recordsByName.forEach((name, records) -> {
            if (!records.isEmpty() && inZone(name)) {
                next.put(name, Node.of(records));
            }
        });
        next.put(origin, apex(next.nodes.get(origin)));
        index = next;
        bumpSerial();
        loaded = true;
    }

    /** Replaces what is stored at {@code name} (an empty list removes the name). */
    void replace(Name name, List<Record> records) {
        if (!inZone(name)) {
            return;
        }
        if (name.equals(origin)) {
            index.put(origin, apex(records.isEmpty() ? null : Node.of(records)));
        } else if (records.isEmpty()) {
            index.remove(name);
        } else {
            index.put(name, Node.of(records));
        }
        bumpSerial();
    }

    /**
     * The apex always holds the configured NS set (and any stored records except NS, SOA and
     * CNAME, which the apex cannot have from the API); the SOA is answered from {@link #soa()}.
     */
    private Node apex(Node stored) {
        List<Record> records = new ArrayList<>();
        for (Name ns : nameservers) {
            records.add(new NSRecord(origin, DClass.IN, APEX_TTL, ns));
        }
        if (stored != null) {
            stored.all(origin).stream().filter(r -> r.getType() != Type.NS && r.getType() != Type.SOA && r.getType() != Type.CNAME)
                    .forEach(records::add);
        }
        return Node.of(records);
    }

    private void bumpSerial() {
        // Seconds since the epoch when possible, so replicas that applied the same changes report
        // close serials; strictly increasing either way.
        long now = clock.instant().getEpochSecond();
        long s = serial.updateAndGet(prev -> Math.max(prev + 1, now) & 0xFFFFFFFFL);
        SOARecord next = newSoa(s);
        SOARecord negative = new SOARecord(origin, DClass.IN, Math.min(next.getTTL(), next.getMinimum()), next.getHost(),
                next.getAdmin(), s, next.getRefresh(), next.getRetry(), next.getExpire(), next.getMinimum());
        byte[] whole = negative.toWire(Section.ANSWER);
        negativeSoa = Arrays.copyOfRange(whole, origin.length(), whole.length);
        soa = next;
    }

    private SOARecord newSoa(long s) {
        // refresh, retry, expire: conventional values (no secondaries pull this zone);
        // minimum: the negative-caching TTL.
        return new SOARecord(origin, DClass.IN, APEX_TTL, nameservers.get(0), hostmaster, s, 3600, 600, 1209600, negativeTtl);
    }

    /** Both views of the names, written together (by one writer) and read without locks. */
    private record Index(ConcurrentHashMap<Name, Node> nodes, ConcurrentSkipListSet<Name> names) {
        void put(Name name, Node node) {
            // The name joins the ordered set first, so no reader sees a node it cannot place.
            names.add(name);
            nodes.put(name, node);
        }

        void remove(Name name) {
            nodes.remove(name);
            names.remove(name);
        }
    }

    /** {@code name} (trusted: from the database or configuration) as an absolute name. */
    public static Name absolute(String name) {
        try {
            String n = name.strip().toLowerCase(Locale.ROOT);
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    public static Name child(String label, Name parent) {
        try {
            return Name.concatenate(Name.fromString(label), parent);
        } catch (Exception e) {
            throw new IllegalArgumentException("name too long: " + label + "." + parent, e);
        }
    }
}
