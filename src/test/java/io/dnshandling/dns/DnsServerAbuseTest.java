package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.DnsClient;
import io.dnshandling.support.LogCapture;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.jboss.logmanager.Level;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * DNS over TCP from clients that mean harm, none of which needs a credential. Each abuser comes
 * from its own loopback address (127.0.0.x), so the per-address cap it meets is its own.
 */
@QuarkusTest
class DnsServerAbuseTest {

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    private Socket from(String localAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()), 2000);
        return s;
    }

    private void stillAnswersEveryoneElse() {
        assertThat(dns.tcp(DnsServerTest.ZONE, Type.SOA).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dns.udp(DnsServerTest.ZONE, Type.SOA).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void a_client_that_sends_queries_and_never_reads_stops_being_read_and_others_are_served() throws Exception {
        byte[] query = DnsClient.query(DnsServerTest.ZONE, Type.SOA, null).toWire();
        long total = 2_000_000;
        AtomicLong sent = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        try (Socket flood = from("127.0.0.2")) {
            Thread writer = new Thread(() -> {
                try {
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(flood.getOutputStream(), 65536));
                    for (long i = 0; i < total; i++) {
                        out.writeShort(query.length);
                        out.write(query);
                        sent.incrementAndGet();
                    }
                    out.flush();
                    finished.set(true);
                } catch (IOException closed) {
                    // the socket is closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            // The writer stalls once the server stops reading: its answers wait unread.
            long[] last = {-1};
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                long now = sent.get();
                boolean stalled = now == last[0];
                last[0] = now;
                return stalled || finished.get();
            });
            assertThat(finished).as("all %d queries were taken in though no answer was read", total).isFalse();
            assertThat(sent.get()).isLessThan(total);
            stillAnswersEveryoneElse();
        }
        stillAnswersEveryoneElse();
    }

    @Test
    void connections_over_the_per_address_cap_are_closed_at_once() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = from("127.0.0.3");
                s.setSoTimeout(100); // 32 reads that time out stay well inside the 10 s idle timeout
                sockets.add(s);
            }
            int closedByServer = 0;
            for (Socket s : sockets) {
                if (closed(s.getInputStream())) {
                    closedByServer++;
                }
            }
            assertThat(closedByServer).isEqualTo(40 - 32);
            stillAnswersEveryoneElse();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void a_message_trickled_in_is_cut_off_after_the_deadline_and_a_reset_is_no_error() throws Exception {
        try (LogCapture errors = LogCapture.start(r -> r.getLevel().intValue() >= Level.ERROR.intValue());
                Socket slow = from("127.0.0.4")) {
            slow.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(slow.getOutputStream());
            out.writeShort(30);
            out.write(new byte[] {0x12});
            out.flush();
            long started = System.nanoTime();
            assertThat(slow.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));

            Socket reset = from("127.0.0.4");
            reset.setSoLinger(true, 0);
            reset.close();
            stillAnswersEveryoneElse();
            assertThat(errors.records()).isEmpty();
        }
    }

    /** Whether the server closed this connection (end of stream) rather than keeping it open (a read timeout). */
    private static boolean closed(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
