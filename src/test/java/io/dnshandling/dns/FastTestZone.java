package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * fast.test, the zone the DNS answer tests share: RRsets of several types and sizes, CNAMEs in
 * and out of the zone, an empty non-terminal, name servers with addresses; and queries for it.
 */
final class FastTestZone {

    static final String[] NAMES = {"fast.test", "www.fast.test", "txt.fast.test", "mx.fast.test",
        "_sip._udp.fast.test", "alias.fast.test", "out.fast.test", "deep.ent.fast.test", "ent.fast.test",
        "missing.fast.test", "a.b.missing.fast.test", "elsewhere.example", "big.fast.test", "ns1.fast.test", "ns2.fast.test"};
    static final int[] TYPES = {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.SRV, Type.CNAME, Type.NS,
        Type.SOA, Type.ANY, Type.CAA, 65000};

    private FastTestZone() {
    }

    /** A new copy of the zone, loaded. */
    static Zone zone() throws Exception {
        Zone zone = new Zone("fast.test", config());
        Map<Name, List<Record>> records = new LinkedHashMap<>();
        Name www = Zone.absolute("www.fast.test");
        records.put(www, List.of(new ARecord(www, DClass.IN, 60, InetAddress.getByName("192.0.2.1")),
                new ARecord(www, DClass.IN, 60, InetAddress.getByName("192.0.2.2")),
                new AAAARecord(www, DClass.IN, 120, InetAddress.getByName("2001:db8::1"))));
        Name txt = Zone.absolute("txt.fast.test");
        records.put(txt, List.of(RecordData.txt(txt, 0, "token-" + "x".repeat(300)), RecordData.txt(txt, 0, "second")));
        Name mx = Zone.absolute("mx.fast.test");
        records.put(mx, List.of(new MXRecord(mx, DClass.IN, 300, 10, Zone.absolute("mail.fast.test"))));
        Name srv = Zone.absolute("_sip._udp.fast.test");
        records.put(srv, List.of(new SRVRecord(srv, DClass.IN, 300, 1, 2, 5060, Zone.absolute("sip.example"))));
        Name alias = Zone.absolute("alias.fast.test");
        records.put(alias, List.of(new CNAMERecord(alias, DClass.IN, 30, www)));
        Name out = Zone.absolute("out.fast.test");
        records.put(out, List.of(new CNAMERecord(out, DClass.IN, 30, Zone.absolute("target.example"))));
        Name deep = Zone.absolute("deep.ent.fast.test");
        records.put(deep, List.of(new ARecord(deep, DClass.IN, 60, InetAddress.getByName("192.0.2.9"))));
        Name big = Zone.absolute("big.fast.test");
        List<Record> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(new AAAARecord(big, DClass.IN, 60, InetAddress.getByName("2001:db8::" + Integer.toHexString(i + 1))));
        }
        records.put(big, many);
        zone.replaceAll(records, 2_026_112_701L);
        return zone;
    }

    /** edns: 0 none, 1 a 512-byte buffer, 2 a 4096-byte buffer, 3 1232 bytes with DO set. */
    static byte[] query(String name, int type, int edns, boolean rd, Random random) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
        m.getHeader().setID(random.nextInt(65536));
        if (!rd) {
            m.getHeader().unsetFlag(Flags.RD);
        }
        if (edns > 0) {
            int size = edns == 1 ? 512 : edns == 2 ? 4096 : 1232;
            m.addRecord(new OPTRecord(size, 0, 0, edns == 3 ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    /** The settings the zone reads: their defaults, and name servers in and out of the zone, with addresses for those inside. */
    private static DnsConfig config() {
        DnsConfig.Server server = (DnsConfig.Server) Proxy.newProxyInstance(FastTestZone.class.getClassLoader(),
                new Class<?>[] {DnsConfig.Server.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "nameservers" -> Optional.of(List.of("ns1.fast.test", "ns2.fast.test", "ns.elsewhere.example"));
                    case "nameserverAddresses" -> Optional.of(List.of("ns1.fast.test=192.0.2.53", "ns2.fast.test=2001:db8::53"));
                    case "hostmaster" -> Optional.empty();
                    case "negativeTtl" -> 30;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (DnsConfig) Proxy.newProxyInstance(FastTestZone.class.getClassLoader(), new Class<?>[] {DnsConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("server")) {
                        return server;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
