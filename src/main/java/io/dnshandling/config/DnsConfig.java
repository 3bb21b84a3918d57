package io.dnshandling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** DNS settings: resolvers for lookups, and the built-in authoritative server. */
@ConfigMapping(prefix = "dns")
public interface DnsConfig {

    /** {@code DNS_RESOLVERS}: {@code host:port} resolvers ({@code [v6]:port} for IPv6); empty means the system's. */
    Optional<List<String>> resolvers();

    /** {@code DNS_LOOKUP_TIMEOUT}: deadline for one lookup, all resolvers and CNAME hops included. */
    @WithDefault("5s")
    Duration lookupTimeout();

    /** {@code DNS_INGRESS_IPV4}: addresses answered for {@code <project_subdomain>.<BASE_DOMAIN>}. */
    @WithName("ingress-ipv4")
    Optional<List<String>> ingressIpv4();

    /** {@code DNS_INGRESS_IPV6}: addresses answered for {@code <project_subdomain>.<BASE_DOMAIN>}. */
    @WithName("ingress-ipv6")
    Optional<List<String>> ingressIpv6();

    Server server();

    interface Server {

        /** {@code DNS_SERVER_ENABLED}. */
        @WithDefault("true")
        boolean enabled();

        /** {@code DNS_SERVER_HOST}: address to listen on, UDP and TCP. */
        @WithDefault("0.0.0.0")
        String host();

        /** {@code DNS_SERVER_PORT}. */
        @WithDefault("5353")
        int port();

        /**
         * {@code DNS_SERVER_NAMESERVERS}: the zone's NS host names, first one in the SOA; default
         * {@code ns1.<BASE_DOMAIN>}.
         */
        Optional<List<String>> nameservers();

        /**
         * {@code DNS_SERVER_NAMESERVER_ADDRESSES}: {@code name=address} pairs, answered as the A and
         * AAAA records of the in-zone name servers, so that a parent's glue matches the zone.
         */
        Optional<List<String>> nameserverAddresses();

        /** {@code DNS_SERVER_HOSTMASTER}: SOA contact mailbox as a name; default {@code hostmaster.<BASE_DOMAIN>}. */
        Optional<String> hostmaster();

        /** TTL of the ingress addresses served for domains. */
        @WithDefault("60")
        int recordTtl();

        /**
         * TTL of the TXT values at {@code _acme-challenge.<sub>.<zone>}. Zero (do not cache,
         * RFC 1035 3.2.1): the value changes from the verification token to each order's digest,
         * and a CA's resolver that kept the previous answer would fail the challenge. This server
         * answers from memory, so resolvers asking every time costs nothing that matters.
         */
        @WithDefault("0")
        int challengeTtl();

        /**
         * SOA minimum, the negative-caching TTL (RFC 2308). Zero by default: a resolver that asked
         * before a challenge value existed must not remember that it did not.
         */
        @WithDefault("0")
        int negativeTtl();

        /** Largest UDP answer this server sends, whatever larger size a client offers (DNS Flag Day 2020). */
        @WithDefault("1232")
        int maxUdpPayload();

        /** How long an idle TCP connection stays open (RFC 7766 section 6.2.3). */
        @WithDefault("10s")
        Duration tcpIdleTimeout();

        /** UDP answers per second to one source prefix (IPv4 /24, IPv6 /56); over it, answers slip or drop. 0 = off. */
        @WithDefault("1000")
        int udpRateLimit();

        /** TCP connections open at once, from all clients; more are closed on accept. */
        @WithDefault("1000")
        int tcpMaxConnections();

        /** TCP connections open at once from one address; more are closed on accept. */
        @WithDefault("32")
        int tcpMaxConnectionsPerAddress();

        /** How long a started message may take to arrive whole (a client trickling bytes is closed). */
        @WithDefault("2s")
        Duration tcpMessageTimeout();

        /**
         * Event-loop threads of the DNS server's own Vert.x instance. DNS never runs on the event
         * loops of the HTTP API or the database pool, so a flood of queries cannot delay either.
         */
        @WithDefault("1")
        int eventLoops();

        /** The longest a TCP connection stays open, however busy. */
        @WithDefault("2m")
        Duration tcpMaxLifetime();

        /** The safety net behind change notifications: the zone catches up with the logged changes this often. */
        @WithDefault("30s")
        Duration catchUpInterval();
    }
}
