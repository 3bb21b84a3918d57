package io.dnshandling.dns;

import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Api.verify;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The built-in server, queried over real UDP and TCP sockets. */
@QuarkusTest
class DnsServerTest {

    static final String ZONE = "dns-handling.test";

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    /** A fresh label under the zone, so tests never see each other's records. */
    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "." + ZONE;
    }

    private static void add(String name, String type, String value, Object... extra) {
        StringBuilder body = new StringBuilder("{\"name\":\"" + name + ".\",\"type\":\"" + type + "\",\"value\":\"" + value + "\"");
        for (int i = 0; i < extra.length; i += 2) {
            body.append(",\"").append(extra[i]).append("\":").append(extra[i + 1]);
        }
        body.append('}');
        given().contentType(ContentType.JSON).body(body.toString()).post("/dns/records").then().statusCode(201);
    }

    private Message awaitAnswer(String name, int type) {
        return dns.awaitAnswer(name, type);
    }

    @Test
    void every_record_type_is_served_with_the_authoritative_flag() {
        String name = fresh("types");
        add(name, "A", "192.0.2.10");
        add(name, "AAAA", "2001:db8::10");
        add(name, "TXT", "hello world");
        add(name, "MX", "mail." + ZONE, "priority", 10);
        String srv = "_sip._tcp." + name;
        add(srv, "SRV", "sip." + ZONE, "priority", 1, "weight", 2, "port", 5060);
        String alias = fresh("alias");
        add(alias, "CNAME", "target.example.net");

        Message a = awaitAnswer(name, Type.A);
        assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(a.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(a.getSection(Section.ANSWER)).singleElement().extracting(Record::rdataToString).isEqualTo("192.0.2.10");
        assertThat(awaitAnswer(name, Type.AAAA).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((org.xbill.DNS.AAAARecord) r).getAddress())
                        .isEqualTo(InetAddress.getByName("2001:db8::10")));
        assertThat(awaitAnswer(name, Type.TXT).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("hello world"));
        assertThat(awaitAnswer(name, Type.MX).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> {
                    assertThat(((MXRecord) r).getPriority()).isEqualTo(10);
                    assertThat(((MXRecord) r).getTarget().toString()).isEqualTo("mail." + ZONE + ".");
                });
        assertThat(awaitAnswer(srv, Type.SRV).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(5060));
        assertThat(awaitAnswer(alias, Type.CNAME).getSection(Section.ANSWER)).singleElement()
                .extracting(Record::rdataToString).isEqualTo("target.example.net.");
    }

    @Test
    void a_cname_inside_the_zone_is_followed_and_one_outside_is_left_to_the_resolver() {
        String target = fresh("target");
        String inside = fresh("inside");
        String outside = fresh("outside");
        add(target, "A", "192.0.2.20");
        add(inside, "CNAME", target);
        add(outside, "CNAME", "elsewhere.example.org");
        List<Record> chain = awaitAnswer(inside, Type.A).getSection(Section.ANSWER);
        assertThat(chain).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
        assertThat(chain.get(1).rdataToString()).isEqualTo("192.0.2.20");
        Message out = awaitAnswer(outside, Type.A);
        assertThat(out.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(out.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @Test
    void a_missing_name_is_nxdomain_and_a_missing_type_is_nodata_both_with_the_soa() {
        String name = fresh("neg");
        add("deep.below." + name, "A", "192.0.2.30");
        add(name, "A", "192.0.2.31");
        awaitAnswer(name, Type.A);
        awaitAnswer("deep.below." + name, Type.A);

        Message nx = dns.udp("absent." + name, Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class)
                .satisfies(soa -> assertThat(soa.getTTL()).isEqualTo(((SOARecord) soa).getMinimum()));

        Message nodata = dns.udp(name, Type.MX);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);

        // An empty non-terminal exists: NODATA, not NXDOMAIN.
        Message ent = dns.udp("below." + name, Type.A);
        assertThat(ent.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ent.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void names_outside_the_zone_are_refused_without_recursion() {
        for (String name : List.of("www.example.com", "com", ".", "dns-handling.test.evil.example")) {
            Message m = dns.udp(name, Type.A);
            assertThat(m.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
            assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
            assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
            assertThat(m.getSection(Section.ANSWER)).isEmpty();
        }
    }

    @Test
    void the_apex_has_soa_and_ns_and_transfers_are_refused() {
        Message soa = dns.udp(ZONE, Type.SOA);
        assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
        Message ns = dns.udp(ZONE, Type.NS);
        assertThat(ns.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("ns1." + ZONE + ".");
        assertThat(dns.tcp(ZONE, Type.AXFR).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void the_question_is_echoed_in_the_case_it_was_asked() {
        String name = fresh("case");
        add(name, "A", "192.0.2.40");
        awaitAnswer(name, Type.A);
        String mixed = name.toUpperCase().substring(0, 3) + name.substring(3);
        Message m = dns.udp(mixed, Type.A);
        assertThat(m.getQuestion().getName().toString()).isEqualTo(mixed + ".");
        assertThat(m.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.getName().toString()).isEqualTo(mixed + "."));
    }

    @Test
    void an_answer_too_large_for_udp_is_truncated_and_complete_over_tcp() {
        String name = fresh("big");
        for (int i = 0; i < 20; i++) {
            add(name, "TXT", "value-" + i + "-" + "x".repeat(80));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> dns.tcp(name, Type.TXT).getSection(Section.ANSWER).size() == 20);

        Message plain = dns.udp(name, Type.TXT);
        assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(plain.toWire().length).isLessThanOrEqualTo(512);

        // The client's EDNS buffer is honoured, up to the server's own 1232-byte limit.
        Message small = dns.udp(DnsClient.query(name, Type.TXT, 600));
        assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
        Message large = dns.udp(DnsClient.query(name, Type.TXT, 4096));
        assertThat(large.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(dns.udp(DnsClient.query(name, Type.TXT, 4096).toWire()).length).isLessThanOrEqualTo(1232);

        Message tcp = dns.tcp(name, Type.TXT);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(20);
    }

    @Test
    void edns_queries_get_an_opt_record_and_unknown_versions_get_badvers() {
        Message m = dns.udp(DnsClient.query(ZONE, Type.SOA, 4096));
        OPTRecord opt = m.getOPT();
        assertThat(opt).isNotNull();
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(opt.getVersion()).isZero();
        assertThat(dns.udp(ZONE, Type.SOA).getOPT()).as("no OPT without EDNS in the query").isNull();

        Message v1 = DnsClient.query(ZONE, Type.SOA, null);
        v1.addRecord(new OPTRecord(4096, 0, 1, 0), Section.ADDITIONAL);
        Message badvers = dns.udp(v1);
        assertThat(badvers.getRcode()).isEqualTo(Rcode.BADVERS);
    }

    @Test
    void any_is_answered_with_one_rrset() {
        String name = fresh("any");
        add(name, "A", "192.0.2.50");
        add(name, "TXT", "t");
        add(name, "MX", "mx." + ZONE, "priority", 5);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !dns.udp(name, Type.MX).getSection(Section.ANSWER).isEmpty());
        List<Record> any = dns.udp(name, Type.ANY).getSection(Section.ANSWER);
        assertThat(any).isNotEmpty();
        assertThat(any.stream().map(Record::getType).distinct()).hasSize(1);
    }

    @Test
    void several_queries_on_one_tcp_connection_are_all_answered() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), dns.port())) {
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Message first = DnsClient.query(ZONE, Type.SOA, null);
            Message second = DnsClient.query(ZONE, Type.NS, null);
            // Both in one write, as a pipelining client sends them.
            java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
            DataOutputStream frames = new DataOutputStream(both);
            for (Message q : List.of(first, second)) {
                byte[] wire = q.toWire();
                frames.writeShort(wire.length);
                frames.write(wire);
            }
            out.write(both.toByteArray());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Message a1 = DnsClient.parse(DnsClient.readFrame(in));
            Message a2 = DnsClient.parse(DnsClient.readFrame(in));
            assertThat(List.of(a1.getHeader().getID(), a2.getHeader().getID()))
                    .containsExactlyInAnyOrder(first.getHeader().getID(), second.getHeader().getID());
        }
    }
}
