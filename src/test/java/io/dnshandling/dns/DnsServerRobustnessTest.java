package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.DnsClient;
import io.dnshandling.support.LogCapture;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Malformed and random input never crashes the server, never leaks an exception, never stops it answering. */
@QuarkusTest
class DnsServerRobustnessTest {

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());
    private LogCapture problems;

    @BeforeEach
    void captureLogs() {
        // The DNS server and the network layers beneath it; other subsystems are not on trial here.
        problems = LogCapture.start(r -> r.getLevel().intValue() >= Level.WARNING.intValue() && r.getLoggerName() != null
                && (r.getLoggerName().startsWith("io.dnshandling.dns") || r.getLoggerName().startsWith("io.netty")
                        || r.getLoggerName().startsWith("io.vertx")));
    }

    @AfterEach
    void stopCapturing() {
        problems.close();
    }

    @Test
    void thousands_of_malformed_udp_packets_leave_the_server_answering() throws Exception {
        Random random = new Random(20261126L);
        byte[] valid = DnsClient.query("x." + DnsServerTest.ZONE, Type.A, 1232).toWire();
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            byte[] junk = new byte[random.nextInt(600)];
            random.nextBytes(junk);
            packets.add(junk);
        }
        for (int i = 0; i < 1500; i++) {
            byte[] mutated = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            mutated[2] &= 0x7F; // keep it a query, so the server has to parse it
            packets.add(mutated);
        }
        for (int cut = 0; cut < valid.length; cut++) {
            packets.add(java.util.Arrays.copyOf(valid, cut));
        }
        packets.add(compressionLoop());
        packets.add(wrongCounts(valid));
        packets.add(labelPastTheEnd());

        try (DatagramSocket socket = new DatagramSocket()) {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port());
            for (byte[] p : packets) {
                socket.send(new DatagramPacket(p, p.length, server));
            }
        }

        // The flood may still fill the socket buffer for a moment, dropping a query as any UDP
        // server would; a client retries, and so does this one, within a deadline.
        Message answer = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> dns.udp(DnsServerTest.ZONE, Type.SOA), java.util.Objects::nonNull);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(problems.records()).as("warnings or errors logged while fuzzing").isEmpty();
    }

    @Test
    void specific_malformations_get_formerr_and_responses_get_nothing() {
        assertThat(DnsClient.parse(dns.udp(compressionLoop())).getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(DnsClient.parse(dns.udp(labelPastTheEnd())).getRcode()).isEqualTo(Rcode.FORMERR);
        byte[] response = DnsClient.query(DnsServerTest.ZONE, Type.SOA, null).toWire();
        response[2] |= (byte) 0x80;
        assertThat(dns.udp(response)).as("a packet with QR set is never answered").isNull();
        assertThat(dns.udp(new byte[5])).as("too short to carry an id").isNull();
    }

    @Test
    void garbage_over_tcp_closes_that_connection_only() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), dns.port())) {
                socket.setSoTimeout(500);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                out.writeShort(junk.length);
                out.write(junk);
                out.flush();
                try {
                    socket.getInputStream().read();
                } catch (IOException timeoutOrReset) {
                    // either is fine: the point is what the server does afterwards
                }
            }
        }
        assertThat(dns.tcp(DnsServerTest.ZONE, Type.SOA).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(problems.records()).isEmpty();
    }

    /** One question whose name is a compression pointer to itself. */
    private static byte[] compressionLoop() {
        return new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 0x0C, 0, 1, 0, 1};
    }

    /** Header counts far beyond what the packet holds. */
    private static byte[] wrongCounts(byte[] valid) {
        byte[] p = valid.clone();
        p[4] = 0; p[5] = 9;          // nine questions
        p[6] = (byte) 0xFF; p[7] = (byte) 0xFF; // 65535 answers
        return p;
    }

    /** A label that claims 63 bytes with 3 left in the packet. */
    private static byte[] labelPastTheEnd() {
        return new byte[] {0x43, 0x21, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b', 'c'};
    }
}
