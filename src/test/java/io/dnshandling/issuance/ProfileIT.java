package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.AriProxy;
import io.dnshandling.support.FreePorts;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDnsResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * ACME_PROFILE against a directory that announces profiles (a test double over Pebble, which
 * announces none): a profile the CA does not offer stops the start with the list of those it does;
 * an offered one is asked for, and orders complete. Pebble 2.4 ignores the field, so what the CA
 * does with the profile is not observable here.
 */
class ProfileIT {

    @Test
    void an_unknown_profile_stops_the_start_and_an_offered_one_issues() throws Exception {
        int dnsPort = FreePorts.udpAndTcp();
        try (AcmeTestBed bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600);
                AriProxy directory = new AriProxy(bed.pebble, bed.pebble.tlsDirectory())) {
            Map<String, String> env = new HashMap<>(bed.serviceEnvironment());
            env.put("ACME_DIRECTORY", directory.directory());
            env.put("DNS_SERVER_PORT", String.valueOf(dnsPort));

            env.put("ACME_PROFILE", "tlsserver-typo");
            assertThatThrownBy(() -> ServiceProcess.start("profile-unknown", env)).hasMessageContaining("exited early");
            assertThat(Files.readString(Path.of("target/it-logs/profile-unknown.log")))
                    .contains("ACME_PROFILE 'tlsserver-typo' is not offered by " + directory.directory())
                    .contains("it offers classic, shortlived");

            env.put("ACME_PROFILE", "shortlived");
            try (ServiceProcess service = ServiceProcess.start("profile-offered", env)) {
                ServiceClient api = new ServiceClient(service);
                RegisteredDomain d = api.register("profile-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
                TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
                api.verifyDelegated(d.id());
                api.issue(d.id()).statusCode(202);
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "active".equals(api.status(d.id())));
                assertThat(Files.readString(service.log())).contains("orders ask " + directory.directory() + " for the profile shortlived");
            }
        }
    }
}
