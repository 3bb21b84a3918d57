package io.dnshandling.dns;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Management;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.UncommonSettingsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** UDP response-rate limiting: a flood from one prefix is cut down while another prefix is answered as usual. */
@QuarkusTest
@TestProfile(UncommonSettingsProfile.class)
class DnsRateLimitTest {

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    @Test
    void a_flood_from_one_prefix_is_limited_and_another_prefix_is_answered() throws Exception {
        byte[] query = DnsClient.query(DnsServerTest.ZONE, Type.SOA, null).toWire();
        int full = 0;
        int truncated = 0;
        try (DatagramSocket flood = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.1.7"), 0))) {
            flood.setSoTimeout(500);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port());
            for (int i = 0; i < 1000; i++) {
                flood.send(new DatagramPacket(query, query.length, server));
            }
            byte[] buffer = new byte[1500];
            while (true) {
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                try {
                    flood.receive(answer);
                } catch (SocketTimeoutException quiet) {
                    break;
                }
                Message m = new Message(Arrays.copyOf(answer.getData(), answer.getLength()));
                if (m.getHeader().getFlag(Flags.TC)) {
                    truncated++;
                } else {
                    full++;
                }
            }
        }
        assertThat(full).as("full answers to the flooding prefix").isBetween(40, 150);
        assertThat(truncated).as("empty truncated answers, so a real resolver retries over TCP").isPositive();
        assertThat(full + truncated).isLessThan(1000);

        Message other = dns.udp(DnsServerTest.ZONE, Type.SOA);
        assertThat(other.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(other.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(other.getSection(Section.ANSWER)).isNotEmpty();

        String metrics = Management.metrics();
        Matcher limited = Pattern.compile("(?m)^dns_server_rate_limited_total(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(limited.find()).isTrue();
        assertThat(Double.parseDouble(limited.group(1))).isPositive();
    }
}
