package io.dnshandling.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The addresses of the zone's own name servers ({@code DNS_SERVER_NAMESERVER_ADDRESSES}, pairs
 * {@code name=address}): an NS name inside the zone is answered with these A and AAAA records, so
 * the glue a parent zone holds for it matches what this zone says. Without them a resolver (or a
 * checker such as Zonemaster) that follows the delegation finds a name server with no address.
 */
record NameserverAddresses(Map<Name, List<Record>> byName, List<Name> unaddressed) {

    static final String SETTING = "DNS_SERVER_NAMESERVER_ADDRESSES";

    /** Parses {@code pairs}; refuses a malformed pair, an address that is not a literal, or a name that is not an in-zone NS. */
    static NameserverAddresses of(List<String> pairs, Name origin, List<Name> nameservers, long ttl) {
        Map<Name, List<Record>> byName = new LinkedHashMap<>();
        for (String pair : pairs) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalStateException(SETTING + ": '" + pair.strip() + "' is not name=address");
            }
            Name name = Zone.absolute(pair.substring(0, eq));
            if (!nameservers.contains(name)) {
                throw new IllegalStateException(SETTING + ": " + name + " is not one of the zone's name servers " + nameservers
                        + " (DNS_SERVER_NAMESERVERS)");
            }
            if (!name.subdomain(origin)) {
                throw new IllegalStateException(SETTING + ": " + name + " is outside " + origin
                        + "; its addresses belong in its own zone, not in this one");
            }
            byName.computeIfAbsent(name, n -> new ArrayList<>()).add(record(name, pair.substring(eq + 1).strip(), ttl));
        }
        List<Name> unaddressed = nameservers.stream().filter(ns -> ns.subdomain(origin) && !byName.containsKey(ns)).toList();
        byName.replaceAll((name, records) -> List.copyOf(records));
        return new NameserverAddresses(Map.copyOf(byName), unaddressed);
    }

    /** What is answered at {@code name}: {@code stored} as it is, or, at an addressed name server, its configured A and AAAA instead of any stored ones. */
    List<Record> at(Name name, List<Record> stored) {
        List<Record> addresses = byName.get(name);
        if (addresses == null) {
            return stored;
        }
        List<Record> out = new ArrayList<>(addresses);
        stored.stream().filter(r -> r.getType() != Type.A && r.getType() != Type.AAAA && r.getType() != Type.CNAME).forEach(out::add);
        return out;
    }

    /** The start-up warning for in-zone name servers without an address, or null when every one has one. */
    String warning() {
        return unaddressed.isEmpty() ? null
                : "the zone's name servers " + unaddressed + " have no address in the zone: a parent's glue for them cannot be checked"
                        + " against it and resolvers may find the delegation lame; set " + SETTING + " (name=address,…)";
    }

    private static Record record(Name name, String literal, long ttl) {
        try {
            if (Address.isDottedQuad(literal)) {
                return new ARecord(name, DClass.IN, ttl, InetAddress.getByAddress(Address.toByteArray(literal, Address.IPv4)));
            }
            byte[] v6 = Address.toByteArray(literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal,
                    Address.IPv6);
            if (v6 != null) {
                return new AAAARecord(name, DClass.IN, ttl, InetAddress.getByAddress(v6));
            }
        } catch (UnknownHostException e) {
            // falls through to the refusal below
        }
        throw new IllegalStateException(SETTING + ": '" + literal + "' (for " + name + ") is not an IPv4 or IPv6 address");
    }
}
