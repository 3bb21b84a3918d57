package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.FreePorts;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDnsResource;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Two replicas on one database share the orders: 20 domains, 20 certificates, every order finalized once. */
class IssuanceReplicasIT {

    @Test
    void twenty_domains_across_two_replicas_get_twenty_certificates_each_finalized_once() throws Exception {
        int dnsPort = FreePorts.udpAndTcp();
        // The CA validates through the first replica's DNS server; the second serves the same zone.
        try (AcmeTestBed bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600)) {
            Map<String, String> env1 = new HashMap<>(bed.serviceEnvironment());
            env1.put("DNS_SERVER_PORT", String.valueOf(dnsPort));
            Map<String, String> env2 = new HashMap<>(bed.serviceEnvironment());
            try (ServiceProcess one = ServiceProcess.start("replica-a", env1);
                    ServiceProcess two = ServiceProcess.start("replica-b", env2)) {
                List<ServiceClient> apis = List.of(new ServiceClient(one), new ServiceClient(two));
                List<RegisteredDomain> domains = new ArrayList<>();
                String run = UUID.randomUUID().toString().substring(0, 6);
                for (int i = 0; i < 20; i++) {
                    ServiceClient api = apis.get(i % 2);
                    RegisteredDomain d = api.register("r" + i + "-" + run + ".example.com");
                    TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
                    api.verifyDelegated(d.id());
                    domains.add(d);
                }
                // All at once, half through each replica: both need the (not yet existing) ACME
                // account at the same moment.
                List<Integer> statuses = Concurrently.run(domains.size(),
                        i -> () -> apis.get(i % 2).issue(domains.get(i).id()).extract().statusCode());
                assertThat(statuses).containsOnly(202);
                for (RegisteredDomain d : domains) {
                    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                            .until(() -> "active".equals(apis.get(0).status(d.id())));
                }
                String logs = Files.readString(one.log()) + Files.readString(two.log());
                for (RegisteredDomain d : domains) {
                    assertThat(IssuanceRestartIT.count("SELECT count(*) FROM certificates WHERE domain_id = ?", d.id()))
                            .as(d.domainName()).isEqualTo(1);
                    Matcher finalized = Pattern.compile("finalize sent for " + Pattern.quote(d.domainName()) + "\\b").matcher(logs);
                    int times = 0;
                    while (finalized.find()) {
                        times++;
                    }
                    assertThat(times).as("finalize requests for " + d.domainName()).isEqualTo(1);
                }
                double accounts = 0;
                for (ServiceClient api : apis) {
                    String metrics = api.metrics();
                    Matcher m = Pattern.compile("(?m)^acme_accounts_created_total(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
                    accounts += m.find() ? Double.parseDouble(m.group(1)) : 0;
                }
                assertThat(accounts).as("ACME accounts registered by both replicas together").isEqualTo(1.0);
                long byOne = Pattern.compile("certificate issued for").matcher(Files.readString(one.log())).results().count();
                long byTwo = Pattern.compile("certificate issued for").matcher(Files.readString(two.log())).results().count();
                System.out.printf("certificates completed by replica a: %d, by replica b: %d%n", byOne, byTwo);
            }
        }
    }
}
