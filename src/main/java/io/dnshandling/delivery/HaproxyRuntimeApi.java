package io.dnshandling.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One HAProxy instance's runtime API (its {@code stats socket ... level admin}), over TCP or a
 * Unix socket. Each call is one connection and one command (or several joined by {@code ;}),
 * answered and closed by HAProxy. Blocking: call it on a worker thread.
 */
final class HaproxyRuntimeApi {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String display;
    private final SocketAddress address;

    private HaproxyRuntimeApi(String display, SocketAddress address) {
        this.display = display;
        this.address = address;
    }

    /** {@code unix:/path} or {@code host:port} ({@code [v6]:port}). */
    static HaproxyRuntimeApi of(String socket) {
        if (socket.startsWith("unix:")) {
            return new HaproxyRuntimeApi(socket, UnixDomainSocketAddress.of(Path.of(socket.substring(5))));
        }
        int colon = socket.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException("DELIVERY_HAPROXY: '" + socket + "' is neither host:port nor unix:/path");
        }
        String host = socket.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(socket.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("DELIVERY_HAPROXY: '" + socket + "' has no valid port");
        }
        return new HaproxyRuntimeApi(socket, InetSocketAddress.createUnresolved(host, port));
    }

    String display() {
        return display;
    }

    /** Sends {@code command} and returns HAProxy's whole answer. */
    String call(String command) throws IOException {
        return exchange(command + "\n");
    }

    /** Sends {@code command} with a multi-line {@code payload} ({@code <<}, ended by an empty line). */
    String call(String command, String payload) throws IOException {
        String body = payload.strip().replace("\r", "");
        if (body.contains("\n\n")) {
            throw new IOException("payload must not contain empty lines");
        }
        return exchange(command + " <<\n" + body + "\n\n");
    }

    private String exchange(String request) throws IOException {
        SocketAddress target = address instanceof InetSocketAddress inet && inet.isUnresolved()
                ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
            if (!channel.connect(target)) {
                await(selector, deadline);
                channel.finishConnect();
            }
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            key.interestOps(SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(selector, deadline);
                channel.write(out);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            while (true) {
                await(selector, deadline);
                int n = channel.read(buffer);
                if (n < 0) {
                    return answer.toString(StandardCharsets.US_ASCII);
                }
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }

    private void await(Selector selector, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || selector.select(left) == 0) {
            throw new IOException("no complete answer from " + display + " within " + TIMEOUT.toSeconds() + " s");
        }
        selector.selectedKeys().clear();
    }
}
