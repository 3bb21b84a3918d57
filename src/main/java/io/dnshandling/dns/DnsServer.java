package io.dnshandling.dns;

import io.dnshandling.config.DnsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The built-in authoritative DNS server: UDP and TCP (RFC 1035 4.2.2 length-prefixed messages,
 * several per connection, RFC 7766) on the event loops of a Vert.x instance of its own, answering
 * from memory through {@link DnsResponder}.
 *
 * <p>Why an event loop and not threads blocking in receive: measured under a flood of the UDP
 * port (bench/flood), a thread per socket blocking in receive took the API's p99 from about 5 ms
 * to 350–640 ms; the event loop keeps it under 10 ms, at the same DNS throughput within a few
 * percent. It binds only once the zone has been loaded, so it never answers from an
 * empty zone.
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

    private volatile DatagramSocket udp;
    private volatile NetServer tcp;

    DnsServer(DnsConfig config, Zone zone, ZoneSync sync, MeterRegistry metrics) {
        // A Vert.x of its own: queries are read and answered on threads that serve nothing else,
        // so a flood delays DNS answers at worst, never an API request or a database callback.
        this.vertx = config.server().enabled()
                ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, config.server().eventLoops()))
                        .setWorkerPoolSize(1).setInternalBlockingPoolSize(1))
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
        // No receive-buffer size here: Vert.x would also use it as the size of every read buffer.
        // No SO_REUSEADDR: on UDP it lets a second socket share the port and take some of the
        // queries; a port already in use must fail the start instead.
        udp = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(config.host().contains(":")).setReuseAddress(false))
                .handler(packet -> {
                    byte[] answer = answerUdp(packet.data().getBytes(), packet.sender());
                    if (answer != null) {
                        udp.send(Buffer.buffer(answer), packet.sender().port(), packet.sender().host());
                    }
                })
                .listen(config.port(), config.host())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tcp = vertx.createNetServer(new NetServerOptions()
                        .setIdleTimeout((int) config.tcpIdleTimeout().toMillis())
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectHandler(this::serveTcp)
                .listen(config.port(), config.host())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.infof("DNS server authoritative for %s on %s:%d (UDP and TCP)", sync.zoneOrigin(), config.host(), config.port());
    }

    /** Last of all: the DNS server answers while the rest of the replica winds down (a CA may be validating through it). */
    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        sync.stop().await().atMost(Duration.ofSeconds(5));
    }

    public boolean bound() {
        return udp != null && tcp != null;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The answer to send back for one datagram, after the per-prefix rate limit; null sends nothing. */
    private byte[] answerUdp(byte[] query, SocketAddress sender) {
        byte[] answer = responder.udp(query);
        if (answer == null) {
            dropped.increment();
            return null;
        }
        udpQueries.increment();
        if (!limiter.enabled()) {
            return answer;
        }
        InetAddress from;
        try {
            from = InetAddress.getByName(sender.host()); // an address literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
        return switch (limiter.decide(from, System.nanoTime())) {
            case SEND -> answer;
            case SLIP -> {
                rateLimited.increment();
                yield ResponseRateLimiter.truncated(answer);
            }
            case DROP -> {
                rateLimited.increment();
                yield null;
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
