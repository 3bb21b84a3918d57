package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.DnsClient;
import io.dnshandling.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Zonemaster (Debian's zonemaster-cli), the DNS community's zone checker, run against the zone as
 * a delegation would expose it: BIND on 127.0.0.1:53 plays a root zone and the parent zone
 * {@code test.}, which delegates {@code dns-handling.test} to the service's replicas on
 * 127.0.0.2:53 and 127.0.0.3:53, with glue. Nothing at WARNING or above may remain, except what
 * {@link #DELIBERATE} lists (the README lists the same): messages about the test's own loopback
 * setting, and, for a single server, that it is a single server. Zonemaster only speaks to port
 * 53, so this test needs to bind it (it runs as root here).
 */
class ZonemasterIT {

    static final String ZONE = "dns-handling.test";

    /** Messages the run may carry, and why. */
    static final Map<String, String> DELIBERATE = Map.of(
            "NAMESERVER_IP_PRIVATE_NETWORK", "the test's name servers are on loopback addresses",
            "NAMESERVER_IP_WITHOUT_REVERSE", "the test's root has no reverse zone for loopback addresses");
    /** And for one server alone: Zonemaster wants at least two, on distinct addresses. */
    static final Map<String, String> ONE_SERVER = Map.of(
            "NOT_ENOUGH_IPV4_NS_CHILD", "one server", "NOT_ENOUGH_IPV4_NS_DEL", "one server",
            "NOT_ENOUGH_NS_CHILD", "one server", "NOT_ENOUGH_NS_DEL", "one server");

    static Path dir;
    static Process named;

    @BeforeAll
    static void startRootAndParent() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("it.logs", "target/it-logs"), "zonemaster")).toAbsolutePath();
        Files.writeString(dir.resolve("root.zone"), """
                $TTL 86400
                @ IN SOA a.root-servers.zm. hostmaster.root-servers.zm. 1 3600 600 1209600 3600
                @ IN NS a.root-servers.zm.
                a.root-servers.zm. IN A 127.0.0.1
                test. IN NS ns.parent.zm.
                ns.parent.zm. IN A 127.0.0.1
                """);
        Files.writeString(dir.resolve("hints.zone"), ". 3600000 NS a.root-servers.zm.\na.root-servers.zm. 3600000 A 127.0.0.1\n");
        Files.writeString(dir.resolve("named.conf"), """
                options { directory "%1$s"; pid-file "%1$s/named.pid"; session-keyfile "%1$s/session.key";
                  listen-on port 53 { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; };
                controls { };
                zone "." { type primary; file "%1$s/root.zone"; };
                zone "test." { type primary; file "%1$s/test.zone"; };
                """.formatted(dir));
        parent(List.of("ns1"));
        named = new ProcessBuilder("named", "-g", "-n", "1", "-c", dir.resolve("named.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        DnsClient root = new DnsClient(53);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> !root.udp("test.", Type.NS).getSection(Section.ANSWER).isEmpty());
    }

    @AfterAll
    static void stopRootAndParent() throws Exception {
        if (named != null) {
            named.destroy();
            named.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void two_replicas_pass_zonemaster_with_nothing_at_warning_or_above() throws Exception {
        Map<String, String> env = Map.of("DNS_SERVER_NAMESERVERS", "ns1." + ZONE + ",ns2." + ZONE,
                "DNS_SERVER_NAMESERVER_ADDRESSES", "ns1." + ZONE + "=127.0.0.2,ns2." + ZONE + "=127.0.0.3", "DNS_SERVER_PORT", "53",
                "DNS_RESOLVERS", "127.0.0.1:9");
        parent(List.of("ns1", "ns2"));
        try (ServiceProcess one = ServiceProcess.start("zonemaster-1", with(env, "127.0.0.2"));
                ServiceProcess two = ServiceProcess.start("zonemaster-2", with(env, "127.0.0.3"))) {
            Map<String, Integer> unexpected = run("two-replicas", DELIBERATE);
            assertThat(unexpected).as("Zonemaster messages at WARNING or above, two replicas; see " + dir).isEmpty();
        }
    }

    @Test
    void one_server_passes_zonemaster_but_for_being_one() throws Exception {
        Map<String, String> env = Map.of("DNS_SERVER_NAMESERVERS", "ns1." + ZONE,
                "DNS_SERVER_NAMESERVER_ADDRESSES", "ns1." + ZONE + "=127.0.0.2", "DNS_SERVER_PORT", "53", "DNS_RESOLVERS", "127.0.0.1:9");
        parent(List.of("ns1"));
        Map<String, String> allowed = new TreeMap<>(DELIBERATE);
        allowed.putAll(ONE_SERVER);
        try (ServiceProcess one = ServiceProcess.start("zonemaster-single", with(env, "127.0.0.2"))) {
            Map<String, Integer> unexpected = run("one-server", allowed);
            assertThat(unexpected).as("Zonemaster messages at WARNING or above, one server; see " + dir).isEmpty();
        }
    }

    /** The parent zone delegating to {@code servers} (ns1 → 127.0.0.2, ns2 → 127.0.0.3), reloaded. */
    private static void parent(List<String> servers) throws Exception {
        StringBuilder zone = new StringBuilder("""
                $TTL 3600
                @ IN SOA ns.parent.zm. hostmaster.parent.zm. %d 3600 600 1209600 3600
                @ IN NS ns.parent.zm.
                """.formatted(System.currentTimeMillis() / 1000));
        for (String ns : servers) {
            zone.append("dns-handling IN NS ").append(ns).append('.').append(ZONE).append(".\n");
            zone.append(ns).append(".dns-handling IN A 127.0.0.").append(ns.equals("ns1") ? 2 : 3).append('\n');
        }
        Files.writeString(dir.resolve("test.zone"), zone);
        if (named != null) {
            new ProcessBuilder("kill", "-HUP", String.valueOf(named.pid())).start().waitFor(5, TimeUnit.SECONDS);
            DnsClient root = new DnsClient(53);
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> root.udp(ZONE + ".", Type.NS).getSection(Section.AUTHORITY).size() == servers.size());
        }
    }

    private static Map<String, String> with(Map<String, String> env, String address) {
        Map<String, String> out = new TreeMap<>(env);
        out.put("DNS_SERVER_HOST", address);
        return out;
    }

    /**
     * Runs Zonemaster; writes its whole output (INFO and above, with the counts per level) beside
     * the logs, and returns the messages at WARNING or above that {@code allowed} does not name,
     * with how often each came.
     */
    private static Map<String, Integer> run(String name, Map<String, String> allowed) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".txt");
        Process zonemaster = new ProcessBuilder("zonemaster-cli", ZONE + ".", "--hints", dir.resolve("hints.zone").toString(), "--no-ipv6",
                "--level", "INFO", "--raw", "--no-progress", "--show-testcase", "--count")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(zonemaster.waitFor(5, TimeUnit.MINUTES)).as("zonemaster-cli finished within 5 minutes").isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).as("Zonemaster's output (" + out + ")").anyMatch(l -> l.contains("CONSISTENCY01"));
        Map<String, Integer> unexpected = new TreeMap<>();
        Map<String, Integer> levels = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].matches("[0-9.]+")) {
                levels.merge(f[1], 1, Integer::sum);
                if (List.of("WARNING", "ERROR", "CRITICAL").contains(f[1]) && !allowed.containsKey(f[3])) {
                    unexpected.merge(f[1] + " " + f[2] + " " + f[3], 1, Integer::sum);
                }
            }
        }
        // Reported, for the README and the record: how many messages of each level.
        System.out.println("Zonemaster, " + name + ": " + levels);
        return unexpected;
    }
}
