package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.config.DnsConfig;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The bytes-only path answers exactly what dnsjava's full path answers (same header, same
 * records, same spelling, same TTLs), for every query it takes on; and it does take on the
 * common ones. A pure unit: a zone in memory, no server.
 */
class FastAnswersTest {

    private static final Name ORIGIN = Zone.absolute("fast.test");
    private static final String[] NAMES = {"fast.test", "www.fast.test", "txt.fast.test", "mx.fast.test",
        "_sip._udp.fast.test", "alias.fast.test", "out.fast.test", "deep.ent.fast.test", "ent.fast.test",
        "missing.fast.test", "a.b.missing.fast.test", "elsewhere.example", "big.fast.test", "ns1.fast.test", "ns2.fast.test"};
    private static final int[] TYPES = {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.SRV, Type.CNAME, Type.NS,
        Type.SOA, Type.ANY, Type.CAA, 65000};

    private Zone zone;
    private DnsResponder responder;

    @BeforeEach
    void zone() throws Exception {
        zone = new Zone("fast.test", config());
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
        responder = new DnsResponder(zone, 1232);
    }

    @Test
    void every_query_the_fast_path_answers_is_answered_as_the_full_path_answers_it() throws Exception {
        Random random = new Random(20261127L);
        int fast = 0;
        int total = 0;
        for (String name : NAMES) {
            for (int type : TYPES) {
                for (int edns = 0; edns < 4; edns++) {
                    byte[] query = query(randomCase(name, random), type, edns, random.nextBoolean(), random);
                    total++;
                    if (compare(query)) {
                        fast++;
                    }
                }
            }
        }
        // Answers for names with data, without data, and below nothing all go the fast way.
        assertThat(fast).as("queries answered by the fast path").isGreaterThan(total / 3);
    }

    @Test
    void mutated_queries_answered_fast_match_the_full_path_too() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 20_000; i++) {
            byte[] query = query(NAMES[random.nextInt(NAMES.length)], TYPES[random.nextInt(TYPES.length)],
                    random.nextInt(4), random.nextBoolean(), random);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                query[random.nextInt(query.length)] = (byte) random.nextInt(256);
            }
            compare(query);
        }
    }

    @Test
    void the_common_answers_take_the_fast_path() throws Exception {
        Random random = new Random(1L);
        FastAnswers fast = new FastAnswers(zone, 1232);
        assertThat(fast.answer(query("WWW.fast.test", Type.A, 0, true, random), false)).isNotNull();
        // The configured address of an in-zone name server is an RRset of the zone like any other.
        byte[] ns1 = fast.answer(query("ns1.fast.test", Type.A, 0, false, random), false);
        assertThat(new Message(ns1).getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.53");
        assertThat(fast.answer(query("missing.fast.test", Type.A, 2, false, random), false)).isNotNull();
        assertThat(fast.answer(query("ent.fast.test", Type.TXT, 1, false, random), false)).isNotNull();
        // A CNAME to follow, an answer too big for the client's buffer: the full path's work.
        assertThat(fast.answer(query("alias.fast.test", Type.A, 0, false, random), false)).isNull();
        assertThat(fast.answer(query("big.fast.test", Type.AAAA, 0, false, random), false)).isNull();
        assertThat(fast.answer(query("big.fast.test", Type.AAAA, 0, false, random), true)).isNotNull();
    }

    @Test
    void the_do_bit_is_echoed_in_the_response_opt_record_rfc_3225() throws Exception {
        Random random = new Random(2L);
        for (String name : List.of("www.fast.test", "alias.fast.test", "missing.fast.test")) {
            Message dnssecOk = new Message(responder.udp(query(name, Type.A, 3, false, random)));
            assertThat(dnssecOk.getOPT().getFlags() & ExtendedFlags.DO).as(name).isEqualTo(ExtendedFlags.DO);
            Message plain = new Message(responder.udp(query(name, Type.A, 1, false, random)));
            assertThat(plain.getOPT().getFlags() & ExtendedFlags.DO).as(name).isZero();
        }
    }

    /** Compares both paths on one query; true when the fast path answered it. */
    private boolean compare(byte[] query) throws Exception {
        byte[] full = responder.respondInFull(query, false);
        byte[] fast = new FastAnswers(zone, 1232).answer(query, false);
        if (fast == null) {
            return false;
        }
        assertThat(full).as("the full path answers what the fast path answers: %s", Arrays.toString(query)).isNotNull();
        assertThat(describe(new Message(fast))).as(Arrays.toString(query)).isEqualTo(describe(new Message(full)));
        assertThat(fast.length).isLessThanOrEqualTo(1232);
        return true;
    }

    /**
     * A message as text: header, question as asked, each record's owner as spelled, TTL, type and
     * data. The data is compared without case: dnsjava's encoder compresses names inside data
     * against the question, so they come out in the question's case; the fast path writes them
     * as stored. Both are the same names (RFC 4343).
     */
    private static String describe(Message m) {
        StringBuilder out = new StringBuilder();
        out.append("id ").append(m.getHeader().getID()).append(" flags ").append(m.getHeader().printFlags())
                .append(" opcode ").append(m.getHeader().getOpcode()).append(" rcode ").append(Rcode.string(m.getRcode()));
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            out.append("\nopt ").append(opt.getPayloadSize()).append(' ').append(opt.getVersion()).append(' ')
                    .append(opt.getFlags()).append(' ').append(opt.getExtendedRcode()).append(' ').append(opt.getOptions());
        }
        for (int section : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            out.append("\nsection ").append(section).append(" count ").append(m.getHeader().getCount(section));
            for (Record r : m.getSection(section)) {
                if (r.getType() == Type.OPT) {
                    continue;
                }
                out.append("\n  ").append(r.getName()).append(' ').append(Type.string(r.getType())).append(' ')
                        .append(DClass.string(r.getDClass()));
                if (section != Section.QUESTION) {
                    out.append(' ').append(r.getTTL()).append(' ').append(r.rdataToString().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out.toString();
    }

    /** edns: 0 none, 1 a 512-byte buffer, 2 a 4096-byte buffer, 3 1232 bytes with DO set. */
    private static byte[] query(String name, int type, int edns, boolean rd, Random random) throws Exception {
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

    private static String randomCase(String name, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString().toLowerCase(Locale.ROOT).equals(name) ? out.toString() : name;
    }

    /** The settings the zone reads: their defaults, and name servers in and out of the zone, with addresses for those inside. */
    private static DnsConfig config() {
        DnsConfig.Server server = (DnsConfig.Server) Proxy.newProxyInstance(FastAnswersTest.class.getClassLoader(),
                new Class<?>[] {DnsConfig.Server.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "nameservers" -> Optional.of(List.of("ns1.fast.test", "ns2.fast.test", "ns.elsewhere.example"));
                    case "nameserverAddresses" -> Optional.of(List.of("ns1.fast.test=192.0.2.53", "ns2.fast.test=2001:db8::53"));
                    case "hostmaster" -> Optional.empty();
                    case "negativeTtl" -> 30;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (DnsConfig) Proxy.newProxyInstance(FastAnswersTest.class.getClassLoader(), new Class<?>[] {DnsConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("server")) {
                        return server;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
