package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What one DNS-over-TCP connection may cost, enforced without credentials: a cap on connections
 * in all and per address, reading paused while the answers already written wait for a client that
 * does not read them, a deadline for a started message to arrive whole (one byte a second does not
 * keep a connection), a maximum lifetime, and a reset connection logged at DEBUG.
 */
final class TcpConnections {

    private static final Logger LOG = Logger.getLogger(TcpConnections.class);

    private final Vertx vertx;
    private final DnsConfig.Server config;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter closedSlow;

    TcpConnections(Vertx vertx, DnsConfig.Server config, MeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        this.refused = Counter.builder("dns.server.tcp.refused").description("TCP connections closed on accept: over a connection cap")
                .register(metrics);
        this.closedSlow = Counter.builder("dns.server.tcp.timeouts")
                .description("TCP connections closed for a message that did not arrive in time, or for their age").register(metrics);
    }

    /** Serves {@code socket}, answering each whole message with {@code answer} (null: close the connection). */
    void serve(NetSocket socket, Function<byte[], byte[]> answer) {
        String address = socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
        AtomicInteger fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        int total = open.incrementAndGet();
        int mine = fromAddress.incrementAndGet();
        Runnable released = () -> {
            open.decrementAndGet();
            if (fromAddress.decrementAndGet() == 0) {
                perAddress.remove(address, fromAddress);
            }
        };
        socket.exceptionHandler(e -> LOG.debugf("DNS TCP connection from %s: %s", address, e.getMessage()));
        if (total > config.tcpMaxConnections() || mine > config.tcpMaxConnectionsPerAddress()) {
            refused.increment();
            socket.closeHandler(v -> released.run());
            socket.close();
            return;
        }
        long lifetime = vertx.setTimer(config.tcpMaxLifetime().toMillis(), t -> {
            closedSlow.increment();
            socket.close();
        });
        long[] messageTimer = {-1};
        TcpFraming framing = new TcpFraming(message -> {
            byte[] out = answer.apply(message);
            if (out == null) {
                socket.close();
                return;
            }
            socket.write(Buffer.buffer(out.length + 2).appendUnsignedShort(out.length).appendBytes(out));
            if (socket.writeQueueFull()) {
                // The client is not reading its answers: stop reading its queries until it does.
                socket.pause();
                socket.drainHandler(v -> socket.resume());
            }
        }, socket::close);
        socket.handler(data -> {
            framing.feed(data);
            if (framing.partial() && messageTimer[0] < 0) {
                messageTimer[0] = vertx.setTimer(config.tcpMessageTimeout().toMillis(), t -> {
                    closedSlow.increment();
                    socket.close();
                });
            } else if (!framing.partial() && messageTimer[0] >= 0) {
                vertx.cancelTimer(messageTimer[0]);
                messageTimer[0] = -1;
            }
        });
        socket.closeHandler(v -> {
            released.run();
            vertx.cancelTimer(lifetime);
            if (messageTimer[0] >= 0) {
                vertx.cancelTimer(messageTimer[0]);
            }
        });
    }
}
