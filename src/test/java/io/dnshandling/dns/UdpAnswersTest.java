package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The UDP loop over real loopback sockets, on both transports it binds: epoll (queries read many
 * at a time with recvmmsg, answers sent many at a time with sendmmsg, from buffers the handler
 * reuses) and NIO. No Quarkus, no database: a zone in memory behind the real handler.
 */
class UdpAnswersTest {

    private static final int CLIENTS = 4;
    private static final int BURST = 50;
    private static final int ROUNDS = 10;

    private DnsResponder responder;
    private EventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void epoll_is_there_on_linux_x86_64() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")), "epoll's library is packaged for Linux on x86-64");
        assertThat(Epoll.isAvailable()).as("epoll: %s", Epoll.unavailabilityCause()).isTrue();
    }

    @ParameterizedTest(name = "epoll {0}")
    @ValueSource(booleans = {true, false})
    void bursts_from_several_clients_get_each_query_its_own_answer(boolean epoll) throws Exception {
        InetSocketAddress server = serve(epoll);
        List<DatagramSocket> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                socket.setSoTimeout(5_000);
                clients.add(socket);
            }
            Random random = new Random(29L);
            int id = 0;
            int answered = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // Every client sends its burst before any reads: the server finds many queries waiting.
                List<Map<Integer, byte[]>> expected = new ArrayList<>();
                for (DatagramSocket client : clients) {
                    Map<Integer, byte[]> sent = new HashMap<>();
                    for (int i = 0; i < BURST; i++, id++) {
                        byte[] query = FastTestZone.query(FastTestZone.NAMES[random.nextInt(FastTestZone.NAMES.length)],
                                FastTestZone.TYPES[random.nextInt(FastTestZone.TYPES.length)], random.nextInt(4),
                                random.nextBoolean(), random);
                        query[0] = (byte) (id >>> 8);
                        query[1] = (byte) id;
                        sent.put(id, responder.udp(query));
                        client.send(new DatagramPacket(query, query.length, server));
                    }
                    expected.add(sent);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    Map<Integer, byte[]> sent = expected.get(c);
                    for (int i = 0; i < BURST; i++) {
                        byte[] answer = receive(clients.get(c));
                        int answerId = (answer[0] & 0xFF) << 8 | answer[1] & 0xFF;
                        assertThat(sent).as("client %d: an answer to a query it sent, once", c).containsKey(answerId);
                        assertThat(answer).as("the answer to query %d", answerId).isEqualTo(sent.remove(answerId));
                        answered++;
                    }
                }
            }
            assertThat(answered).isEqualTo(CLIENTS * BURST * ROUNDS);
        } finally {
            clients.forEach(DatagramSocket::close);
        }
    }

    @ParameterizedTest(name = "epoll {0}")
    @ValueSource(booleans = {true, false})
    void a_datagram_longer_than_two_kib_is_read_as_its_first_two_kib(boolean epoll) throws Exception {
        InetSocketAddress server = serve(epoll);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5_000);
            byte[] query = FastTestZone.query("www.fast.test", org.xbill.DNS.Type.A, 0, true, new Random(5L));
            byte[] datagram = Arrays.copyOf(query, 3_000);
            Arrays.fill(datagram, query.length, datagram.length, (byte) 0x41);
            client.send(new DatagramPacket(datagram, datagram.length, server));
            byte[] answer = receive(client);
            assertThat(answer).isEqualTo(responder.udp(Arrays.copyOf(datagram, UdpAnswers.LARGEST_QUERY)));
            // And the loop goes on: the next query is answered as usual.
            client.send(new DatagramPacket(query, query.length, server));
            assertThat(receive(client)).isEqualTo(responder.udp(query));
        }
    }

    /** fast.test served by the real handler on one loop of the transport asked for; its address. */
    private InetSocketAddress serve(boolean epoll) throws Exception {
        assumeTrue(!epoll || Epoll.isAvailable(), "epoll is not available here");
        responder = new DnsResponder(FastTestZone.zone(), 1232);
        group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Channel channel = UdpAnswers.bind(group, epoll,
                new UdpAnswers((query, length, sender, out) -> responder.udp(query, length, out), responder.maxUdpPayload()),
                new InetSocketAddress("127.0.0.1", 0));
        return (InetSocketAddress) channel.localAddress();
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }
}
