package io.dnshandling.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** DNS settings: {@code DNS_RESOLVERS}, {@code DNS_LOOKUP_TIMEOUT}. */
@ConfigMapping(prefix = "dns")
public interface DnsConfig {

    /** {@code host:port} resolvers ({@code [v6]:port} for IPv6); empty means the system's. */
    Optional<List<String>> resolvers();

    /** Deadline for one lookup, all resolvers and CNAME hops included. */
    @WithDefault("5s")
    Duration lookupTimeout();
}
