package io.dnshandling.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnshandling.support.TestDnsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Where a lookup goes on when its answers arrive, against a DNS server on loopback. dnsjava's
 * default would continue on the common ForkJoinPool, which on a machine with two CPUs or fewer is a
 * new thread for every answer.
 */
class DnsLookupThreadsTest {

    private static final int LOOKUPS = 30;

    @Test
    void answers_are_handled_on_dnsjavas_selector_thread_and_start_no_thread_per_lookup() throws Exception {
        try (TestDnsServer server = new TestDnsServer()) {
            // A CNAME answered alone: each lookup takes two queries, the second sent from the first's answer.
            server.cname("_acme-challenge.shop.example.", "_acme-challenge.abc.zone.example.");
            server.txt("_acme-challenge.abc.zone.example.", "digest");
            DnsLookup lookup = new DnsLookup(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())),
                    Duration.ofSeconds(5));
            // The first lookup starts dnsjava's selector thread.
            lookup.lookup("_acme-challenge.shop.example.", Type.TXT).await().atMost(Duration.ofSeconds(10));

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long startedBefore = threads.getTotalStartedThreadCount();
            Set<String> answeredOn = new HashSet<>();
            List<LookupAnswer> answers = new ArrayList<>();
            for (int i = 0; i < LOOKUPS; i++) {
                // No Vert.x context here, so the answer is handed on where dnsjava produced it.
                answers.add(lookup.lookup("_acme-challenge.shop.example.", Type.TXT)
                        .invoke(a -> answeredOn.add(Thread.currentThread().getName()))
                        .await().atMost(Duration.ofSeconds(10)));
            }
            long started = threads.getTotalStartedThreadCount() - startedBefore;

            answers.forEach(a -> assertEquals(1, a.records().size(), "every lookup follows the CNAME to the TXT value"));
            // Where dnsjava read the answer, or (an answer it had already) where the lookup was asked.
            String caller = Thread.currentThread().getName();
            answeredOn.remove(caller);
            assertEquals(1, answeredOn.size(), "answers handled on dnsjava's selector thread and nowhere else: " + answeredOn);
            assertTrue(answeredOn.iterator().next().startsWith("dnsjava NIO"), "handled on dnsjava's selector thread: " + answeredOn);
            // Other tests' threads may start a few meanwhile; one per answer would be at least LOOKUPS.
            assertTrue(started < LOOKUPS / 3, started + " threads started during " + LOOKUPS + " lookups");
        }
    }
}
