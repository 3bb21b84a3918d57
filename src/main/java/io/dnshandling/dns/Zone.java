package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
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
 * only this, never the database. Each name is one entry in a table ({@link ZoneNames}), empty
 * non-terminals included, so telling NXDOMAIN from NODATA is the same one lookup.
 *
 * <p>Only {@link ZoneSync} writes here; readers see each name's records replaced atomically.
 */
@ApplicationScoped
public class Zone {

    static final long APEX_TTL = 3600;
    private static final Logger LOG = Logger.getLogger(Zone.class);

    private final Name origin;
    private final byte[] originWire;
    private final List<Name> nameservers;
    private final NameserverAddresses nameserverAddresses;
    private final Name hostmaster;
    private final long negativeTtl;
    private volatile ZoneNames names;
    private volatile Soa soa;
    private volatile boolean loaded;

    Zone(@ConfigProperty(name = "base.domain") String baseDomain, DnsConfig config) {
        this.origin = absolute(baseDomain);
        this.originWire = origin.toWireCanonical();
        this.nameservers = config.server().nameservers()
                .map(list -> list.stream().map(Zone::absolute).toList())
                .filter(list -> !list.isEmpty())
                .orElse(List.of(child("ns1", origin)));
        this.nameserverAddresses = NameserverAddresses.of(config.server().nameserverAddresses().orElse(List.of()), origin, nameservers, APEX_TTL);
        if (nameserverAddresses.warning() != null) {
            LOG.warn(nameserverAddresses.warning());
        }
        this.hostmaster = config.server().hostmaster().map(Zone::absolute).orElse(child("hostmaster", origin));
        this.negativeTtl = config.server().negativeTtl();
        this.names = new ZoneNames(origin, 0);
        useSerial(0); // not served before the first load replaces it
    }

    public Name origin() {
        return origin;
    }

    /** The origin in lower-case wire form. */
    byte[] originWire() {
        return originWire;
    }

    public boolean inZone(Name name) {
        return name.subdomain(origin);
    }

    /** The records at {@code name}, or null when nothing is stored exactly there. */
    public Node node(Name name) {
        byte[] e = names.find(name);
        return e == null || !Node.hasData(e) ? null : new Node(e);
    }

    /** True when some name below {@code name} has records: {@code name} exists as an empty non-terminal. */
    public boolean hasDescendants(Name name) {
        byte[] e = names.find(name);
        return e != null && Node.below(e) > 0;
    }

    /** The entry ({@link Node}'s layout) of the name at {@code wire[at..at+length)}, any case; null when it does not exist. */
    byte[] entry(byte[] wire, int at, int length) {
        return names.find(wire, at, length);
    }

    public SOARecord soa() {
        return soa.record();
    }

    /** The SOA as it goes into a negative answer (RFC 2308 section 3: its TTL the lesser of its own and its minimum). */
    SOARecord negativeSoa() {
        return soa.negative();
    }

    /** {@link #negativeSoa()} encoded after its owner name, as an RRset is in {@link Node}'s entries. */
    byte[] negativeSoaEncoded() {
        return soa.negativeEncoded();
    }

    public boolean loaded() {
        return loaded;
    }

    public long serial() {
        return soa.record().getSerial();
    }

    public int size() {
        return names.size();
    }

    /** Replaces the whole zone (startup, or a replica that fell behind the change log). */
    void replaceAll(Map<Name, List<Record>> recordsByName, long serial) {
        install(prepare(recordsByName), serial);
    }

    /**
     * A whole zone built from {@code recordsByName}, not yet served: CPU work that takes seconds
     * for a million names, so callers run it off the event loop and {@link #install} the result.
     */
    ZoneNames prepare(Map<Name, List<Record>> recordsByName) {
        ZoneNames next = new ZoneNames(origin, recordsByName.size());
        recordsByName.forEach((name, records) -> {
            if (!records.isEmpty() && inZone(name) && !name.equals(origin)) {
                next.set(name, nameserverAddresses.at(name, records));
            }
        });
        nameserverAddresses.byName().forEach((name, addresses) -> {
            if (!recordsByName.containsKey(name) && !name.equals(origin)) {
                next.set(name, addresses);
            }
        });
        next.set(origin, apex(recordsByName.getOrDefault(origin, List.of())));
        return next;
    }

    /** Serves a zone from {@link #prepare} in place of the current one, whole, with the serial read before it was loaded. */
    void install(ZoneNames next, long serial) {
        names = next;
        raiseSerial(serial);
        loaded = true;
    }

    /** Replaces what is stored at {@code name} (an empty list removes the name). */
    void replace(Name name, List<Record> records) {
        if (!inZone(name)) {
            return;
        }
        names.set(name, name.equals(origin) ? apex(records) : nameserverAddresses.at(name, records));
    }

    /**
     * The apex always holds the configured NS set (and any stored records except NS, SOA and
     * CNAME, which the apex cannot have from the API); the SOA is answered from {@link #soa()}.
     */
    private List<Record> apex(List<Record> stored) {
        List<Record> records = new ArrayList<>();
        for (Name ns : nameservers) {
            records.add(new NSRecord(origin, DClass.IN, APEX_TTL, ns));
        }
        nameserverAddresses.at(origin, stored).stream().filter(r -> r.getType() != Type.NS && r.getType() != Type.SOA && r.getType() != Type.CNAME)
                .forEach(records::add);
        return records;
    }

    /**
     * Answers {@code next} as the SOA serial from now on, unless a higher one is answered already.
     * The serial is the database's ({@code dns_zone_serial}, raised by every committed change, read
     * before the data it goes with), so every replica holding the same data answers the same one.
     * Only {@link ZoneSync} calls this, on its one context.
     */
    void raiseSerial(long next) {
        if (next > serial()) {
            useSerial(next & 0xFFFFFFFFL);
        }
    }

    private void useSerial(long s) {
        SOARecord next = newSoa(s);
        SOARecord negative = new SOARecord(origin, DClass.IN, Math.min(next.getTTL(), next.getMinimum()), next.getHost(),
                next.getAdmin(), s, next.getRefresh(), next.getRetry(), next.getExpire(), next.getMinimum());
        byte[] whole = negative.toWire(Section.ANSWER);
        soa = new Soa(next, negative, Arrays.copyOfRange(whole, origin.length(), whole.length));
    }

    /** The SOA of one serial, in each form it is answered in; replaced whole, so readers never mix serials. */
    private record Soa(SOARecord record, SOARecord negative, byte[] negativeEncoded) {
    }

    private SOARecord newSoa(long s) {
        // refresh, retry, expire: conventional values (no secondaries pull this zone);
        // minimum: the negative-caching TTL.
        return new SOARecord(origin, DClass.IN, APEX_TTL, nameservers.get(0), hostmaster, s, 3600, 600, 1209600, negativeTtl);
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
