package io.dnshandling.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The DNS server's UDP side: one socket per thread, all bound to the same port with
 * SO_REUSEPORT, so the kernel spreads queries over them and each thread reads, answers and
 * sends in a plain loop: no event loop, no hand-off between threads, nothing shared with the
 * HTTP API. Each thread blocks only in its own socket's receive.
 */
final class UdpListeners implements AutoCloseable {

    /** Answers one datagram; null sends nothing. */
    @FunctionalInterface
    interface Handler {
        byte[] answer(byte[] query, InetSocketAddress from);
    }

    private static final Logger LOG = Logger.getLogger(UdpListeners.class);

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    private UdpListeners() {
    }

    /**
     * Binds {@code sockets} sockets to {@code host:port} and starts a thread on each. The port
     * must be free: it is first bound once without SO_REUSEPORT, so a port another process holds,
     * even with SO_REUSEPORT, fails the start instead of quietly sharing the queries.
     */
    static UdpListeners start(String host, int port, int sockets, Handler handler) throws IOException {
        ProtocolFamily family = host.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        int bound = port;
        try (DatagramChannel probe = DatagramChannel.open(family)) {
            probe.bind(new InetSocketAddress(host, port));
            bound = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        UdpListeners listeners = new UdpListeners();
        try {
            for (int i = 0; i < sockets; i++) {
                DatagramChannel channel = DatagramChannel.open(family);
                listeners.channels.add(channel);
                if (sockets > 1) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(new InetSocketAddress(host, bound));
            }
        } catch (IOException | RuntimeException e) {
            listeners.close();
            throw e;
        }
        for (int i = 0; i < sockets; i++) {
            DatagramChannel channel = listeners.channels.get(i);
            Thread thread = new Thread(() -> listeners.serve(channel, handler), "dns-udp-" + i);
            thread.setDaemon(true);
            listeners.threads.add(thread);
            thread.start();
        }
        return listeners;
    }

    /** The port the sockets are bound to. */
    int port() throws IOException {
        return ((InetSocketAddress) channels.get(0).getLocalAddress()).getPort();
    }

    private void serve(DatagramChannel channel, Handler handler) {
        ByteBuffer in = ByteBuffer.allocateDirect(65535);
        ByteBuffer out = ByteBuffer.allocateDirect(65535);
        while (open) {
            try {
                in.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(in);
                in.flip();
                byte[] query = new byte[in.remaining()];
                in.get(query);
                byte[] answer = handler.answer(query, from);
                if (answer != null) {
                    out.clear();
                    out.put(answer).flip();
                    channel.send(out, from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One bad exchange (an unreachable sender, a bug on one query) never stops the loop.
                if (open) {
                    LOG.debugf("UDP exchange failed: %s", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        for (DatagramChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debugf("closing a UDP socket: %s", e.getMessage());
            }
        }
        for (Thread thread : threads) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
