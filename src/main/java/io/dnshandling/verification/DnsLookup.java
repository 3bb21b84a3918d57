package io.dnshandling.verification;

import io.dnshandling.config.DnsConfig;
import io.smallrye.mutiny.Uni;
import io.dnshandling.core.CallerContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupFailedException;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.RedirectOverflowException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * Looks up records through the configured resolvers, following CNAME chains, without blocking
 * the caller: dnsjava's asynchronous client does the I/O on its own selector thread, and the
 * answer is handed back on the caller's Vert.x context so reactive database work can continue
 * there.
 */
@ApplicationScoped
public class DnsLookup {

    private static final Logger LOG = Logger.getLogger(DnsLookup.class);

    private final LookupSession session;
    private final Duration timeout;
    private final String description;

    /**
     * Where dnsjava goes on with a lookup when an answer arrives (the next query of a CNAME chain,
     * the result): on its selector thread, where the answer was read. The work there is parsing and
     * handing the result on to the caller's context. dnsjava's default, the common ForkJoinPool, is
     * turned by {@code CompletableFuture} into a new thread for every task wherever that pool has
     * fewer than two threads: on a machine, or a pod, with two CPUs or fewer, each answer started
     * and ended a thread.
     */
    private static final Executor ON_ANSWER = Runnable::run;

    @Inject
    DnsLookup(DnsConfig config) {
        this(config.resolvers()
                .map(list -> list.stream().map(String::strip).filter(s -> !s.isEmpty()).map(DnsLookup::parseServer).toList())
                .filter(list -> !list.isEmpty())
                .orElseGet(() -> ResolverConfig.getCurrentConfig().servers()), config.lookupTimeout());
    }

    DnsLookup(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS resolvers: set DNS_RESOLVERS or configure /etc/resolv.conf");
        }
        this.timeout = timeout;
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            resolvers.add(new SimpleResolver(server));
        }
        ExtendedResolver resolver = new ExtendedResolver(resolvers);
        // Each server gets a share of the overall deadline so a dead first resolver still leaves
        // time to ask the next one.
        resolver.setTimeout(perTry(timeout, servers.size()));
        resolver.setRetries(1);
        this.session = LookupSession.builder().resolver(resolver).executor(ON_ANSWER).build();
        this.description = servers.toString();
        LOG.infof("ownership lookups use resolvers %s with a %s deadline", description, timeout);
    }

    /** The records of {@code type} at {@code absoluteName}, or a failed {@code Uni} with {@link DnsLookupException}. */
    public Uni<LookupAnswer> lookup(String absoluteName, int type) {
        Name name;
        try {
            name = Name.fromString(absoluteName);
        } catch (TextParseException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("not a DNS name: " + absoluteName, e));
        }
        Executor back = CallerContext.current();
        return Uni.createFrom().completionStage(() -> session.lookupAsync(name, type))
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout))
                .map(result -> toAnswer(absoluteName, type, result))
                .onFailure().recoverWithUni(e -> classify(absoluteName, type, e))
                .emitOn(back);
    }

    private static LookupAnswer toAnswer(String queried, int type, LookupResult result) {
        List<Record> records = result.getRecords().stream().filter(r -> r.getType() == type).toList();
        List<String> aliases = result.getAliases().stream().map(Name::toString).toList();
        return new LookupAnswer(queried, type, records, aliases, true);
    }

    private Uni<LookupAnswer> classify(String queried, int type, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof NoSuchDomainException) {
            return Uni.createFrom().item(new LookupAnswer(queried, type, List.of(), List.of(), false));
        }
        if (e instanceof NoSuchRRSetException) {
            return Uni.createFrom().item(new LookupAnswer(queried, type, List.of(), List.of(), true));
        }
        String why;
        if (e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException
                || e instanceof java.io.InterruptedIOException) {
            why = "the resolvers did not answer within " + timeout.toMillis() + " ms";
        } else if (e instanceof java.net.PortUnreachableException || e instanceof java.net.ConnectException) {
            why = "the resolvers could not be reached";
        } else if (e instanceof ServerFailedException) {
            why = "a resolver answered SERVFAIL";
        } else if (e instanceof RedirectLoopException) {
            why = "the CNAME chain loops";
        } else if (e instanceof RedirectOverflowException) {
            why = "the CNAME chain is too long";
        } else if (e instanceof LookupFailedException && e.getMessage() != null && e.getMessage().contains(Rcode.string(Rcode.REFUSED))) {
            why = "a resolver answered REFUSED";
        } else {
            why = "the lookup failed (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
        return Uni.createFrom().failure(new DnsLookupException("could not look up " + Type.string(type) + " records at " + queried + ": " + why, e));
    }

    static Duration perTry(Duration total, int servers) {
        long ms = Math.max(250, total.toMillis() / (2L * Math.max(1, servers)));
        return Duration.ofMillis(ms);
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; 53 by default. */
    static InetSocketAddress parseServer(String spec) {
        String host = spec;
        int port = 53;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("DNS_RESOLVERS entry '" + spec + "': missing ']'");
            }
            host = spec.substring(1, close);
            if (spec.length() > close + 1) {
                if (spec.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("DNS_RESOLVERS entry '" + spec + "': expected ':' after ']'");
                }
                port = parsePort(spec, spec.substring(close + 2));
            }
        } else if (spec.indexOf(':') >= 0 && spec.indexOf(':') == spec.lastIndexOf(':')) {
            host = spec.substring(0, spec.indexOf(':'));
            port = parsePort(spec, spec.substring(spec.indexOf(':') + 1));
        }
        // Resolved once at startup; IP literals need no lookup at all.
        return new InetSocketAddress(host, port);
    }

    private static int parsePort(String spec, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DNS_RESOLVERS entry '" + spec + "': port must be 1-65535");
        }
    }

    @Override
    public String toString() {
        return "DnsLookup" + description;
    }
}
