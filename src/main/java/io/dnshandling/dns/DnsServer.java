package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The built-in authoritative DNS server: UDP and TCP (RFC 1035 4.2.2 length-prefixed messages,
 * several per connection, RFC 7766) on the event loops of a Vert.x instance of its own, answering
 * from memory through {@link DnsResponder}. It binds only once the zone has been loaded, so it
 * never answers from an empty zone.
 *
 * <p>UDP goes through Netty directly ({@link UdpAnswers}); Vert.x's datagram socket parses the
 * sender's address back from text for every answer. Why an event loop and not threads blocking
 * in receive: under a flood of the UDP port (bench/flood), threads blocking in receive took the
 * API's p99 to 350–640 ms in every run; on the event loop it varies from run to run between
 * 7 and 200 ms, as it did before answers came from bytes. On Linux the server's Vert.x runs on
 * epoll, which reads and sends many datagrams per system call; elsewhere on NIO.
 */
@ApplicationScoped
public class DnsServer {

    private static final Logger LOG = Logger.getLogger(DnsServer.class);

    private final Vertx vertx;
    private final DnsConfig.Server config;
    private final ZoneSync sync;
    private final DnsResponder responder;
    private final Counter udpQueries;
    private final Counter tcpQueries;
    private final Counter dropped;
    private final TcpConnections connections;
    private final ResponseRateLimiter limiter;
    private final Counter rateLimited;

    private volatile Channel udp;
    private volatile NetServer tcp;

    DnsServer(DnsConfig config, Zone zone, ZoneSync sync, MeterRegistry metrics) {
        // A Vert.x of its own: queries are read and answered on threads that serve nothing else,
        // so a flood delays DNS answers at worst, never an API request or a database callback.
        this.vertx = config.server().enabled()
                ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, config.server().eventLoops()))
                        .setWorkerPoolSize(1).setInternalBlockingPoolSize(1).setPreferNativeTransport(true))
                : null;
        this.config = config.server();
        this.sync = sync;
        this.responder = new DnsResponder(zone, config.server().maxUdpPayload());
        this.udpQueries = Counter.builder("dns.server.queries").tag("transport", "udp").register(metrics);
        this.tcpQueries = Counter.builder("dns.server.queries").tag("transport", "tcp").register(metrics);
        this.dropped = Counter.builder("dns.server.dropped")
                .description("Packets not answered: responses, or too short to carry an id").register(metrics);
        this.connections = new TcpConnections(this.vertx, config.server(), metrics);
        this.limiter = new ResponseRateLimiter(config.server().udpRateLimit());
        if (config.server().enabled()) {
            Gauge.builder("dns.server.up", this, server -> server.bound() ? 1 : 0)
                    .description("1 while the DNS server is bound on UDP and TCP with its zone loaded").register(metrics);
        }
        this.rateLimited = Counter.builder("dns.server.rate.limited")
                .description("UDP answers over the per-prefix rate: sent truncated (slip) or dropped").register(metrics);
    }

    void start(@Observes StartupEvent event) throws Exception {
        if (!config.enabled()) {
            LOG.info("built-in DNS server disabled (DNS_SERVER_ENABLED=false)");
            return;
        }
        // Startup waits for the first full load and the binds; the main thread, not an event loop.
        sync.start().await().atMost(Duration.ofSeconds(60));
        // Netty directly, on this server's own event loops: the datagram's sender goes back with
        // its answer as it came, and one read burst's answers leave in one flush.
        boolean epoll = vertx.isNativeTransportEnabled();
        udp = UdpAnswers.bind(vertx.nettyEventLoopGroup(), epoll, new UdpAnswers(this::answerUdp, responder.maxUdpPayload()),
                new InetSocketAddress(config.host(), config.port()));
        tcp = vertx.createNetServer(new NetServerOptions()
                        .setIdleTimeout((int) config.tcpIdleTimeout().toMillis())
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectHandler(this::serveTcp)
                .listen(config.port(), config.host())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.infof("DNS server authoritative for %s on %s:%d (UDP and TCP, %s)", sync.zoneOrigin(), config.host(), config.port(),
                epoll ? "epoll" : "NIO");
    }

    /** Last of all: the DNS server answers while the rest of the replica winds down (a CA may be validating through it). */
    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        if (udp != null) {
            udp.close().syncUninterruptibly();
        }
        // Closing the Vert.x instance closes the TCP listener with it, and is awaited: a process
        // that starts next on the same port (a restart in place, the next test profile) must find
        // it free. On epoll the listener outlived an unawaited close long enough for the next bind
        // to fail.
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warnf("DNS server's event loops not closed: %s", e.toString());
            }
        }
        sync.stop().await().atMost(Duration.ofSeconds(5));
    }

    public boolean bound() {
        return udp != null && tcp != null;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The answer to send back for one datagram, after the per-prefix rate limit, written into
     * {@code out}: its length, or 0 to send nothing.
     */
    private int answerUdp(byte[] query, int length, InetSocketAddress sender, byte[] out) {
        int n = responder.udp(query, length, out);
        if (n == 0) {
            dropped.increment();
            return 0;
        }
        udpQueries.increment();
        if (!limiter.enabled()) {
            return n;
        }
        return switch (limiter.decide(sender.getAddress(), System.nanoTime())) {
            case SEND -> n;
            case SLIP -> {
                rateLimited.increment();
                yield ResponseRateLimiter.truncate(out, n);
            }
            case DROP -> {
                rateLimited.increment();
                yield 0;
            }
        };
    }

    private void serveTcp(NetSocket socket) {
        connections.serve(socket, message -> {
            byte[] answer = responder.tcp(message);
            if (answer == null) {
                dropped.increment();
            } else {
                tcpQueries.increment();
            }
            return answer;
        });
    }
}
