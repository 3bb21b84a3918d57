package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.FreePorts;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer.Fault;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to one of two replicas in the middle of issuing 20 certificates: the other finishes every
 * order within seconds (well inside the 30 s claim lease), the request in flight on the stopping
 * replica gets its real answer, and the process exits 0.
 */
class GracefulShutdownIT {

    @Test
    void a_replica_stopped_mid_issuance_hands_its_work_over_and_exits_cleanly() throws Exception {
        int dnsPort = FreePorts.udpAndTcp();
        try (AcmeTestBed bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600)) {
            // The CA validates through the staying replica's DNS server.
            Map<String, String> staying = new HashMap<>(bed.serviceEnvironment());
            staying.put("DNS_SERVER_PORT", String.valueOf(dnsPort));
            Map<String, String> stopping = new HashMap<>(bed.serviceEnvironment());
            stopping.put("SHUTDOWN_DELAY", "1s");
            stopping.put("SHUTDOWN_TIMEOUT", "10s");
            try (ServiceProcess one = ServiceProcess.start("shutdown-staying", staying);
                    ServiceProcess two = ServiceProcess.start("shutdown-stopping", stopping)) {
                ServiceClient stayingApi = new ServiceClient(one);
                ServiceClient stoppingApi = new ServiceClient(two);
                String run = UUID.randomUUID().toString().substring(0, 6);
                List<RegisteredDomain> domains = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    RegisteredDomain d = stoppingApi.register("s" + i + "-" + run + ".example.com");
                    TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
                    stoppingApi.verifyDelegated(d.id());
                    domains.add(d);
                }
                // A request that takes a while: its resolver never answers, so it ends with the 3 s lookup deadline.
                RegisteredDomain slow = stoppingApi.register("slow-" + run + ".example.com");
                TestDnsResource.server().fail(slow.challengeName(), Fault.SILENCE);

                List<Integer> opened = Concurrently.run(domains.size(), i -> () -> stoppingApi.issue(domains.get(i).id()).extract().statusCode());
                assertThat(opened).containsOnly(202);
                CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> stoppingApi.verify(slow.id()).extract().statusCode());
                Thread.sleep(200); // the verify is on the wire before the signal
                Instant signalled = Instant.now();
                int exit = two.terminate(Duration.ofSeconds(30));
                Duration toExit = Duration.between(signalled, Instant.now());

                assertThat(inFlight.get()).as("the request in flight got its own answer, not a 5xx").isEqualTo(424);
                assertThat(exit).as("exit code after SIGTERM").isZero();
                for (RegisteredDomain d : domains) {
                    Awaitility.await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(100))
                            .until(() -> "active".equals(stayingApi.status(d.id())));
                }
                Duration allActive = Duration.between(signalled, Instant.now());
                System.out.printf("SIGTERM to exit: %d ms; SIGTERM to all 20 active on the other replica: %d ms%n",
                        toExit.toMillis(), allActive.toMillis());
                // Sooner than the claims' lease (ACME_CLAIM_LEASE, 30 s here) would have let the other replica in.
                assertThat(allActive).isLessThan(Duration.ofSeconds(30));
                assertThat(Files.readString(two.log())).contains("stopping: no new work is taken").doesNotContain(" ERROR ");
            }
        }
    }
}
