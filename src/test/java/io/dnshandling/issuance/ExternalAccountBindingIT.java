package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.FreePorts;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDnsResource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A CA that requires external account binding (as ZeroSSL and Google do): the account is bound with ACME_EAB_*. */
class ExternalAccountBindingIT {

    static final String KID = "kid-dns-handling";
    static final String HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    @Test
    void with_the_binding_configured_the_account_is_created_and_a_certificate_issued() {
        int dnsPort = FreePorts.udpAndTcp();
        try (AcmeTestBed bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600, Map.of(KID, HMAC))) {
            Map<String, String> env = new HashMap<>(bed.serviceEnvironment());
            env.put("DNS_SERVER_PORT", String.valueOf(dnsPort));
            env.put("ACME_EAB_KID", KID);
            env.put("ACME_EAB_HMAC_KEY", HMAC);
            env.put("ACME_KEY_TYPE", "rsa-2048");
            try (ServiceProcess service = ServiceProcess.start("eab", env)) {
                ServiceClient api = new ServiceClient(service);
                RegisteredDomain d = api.register("eab-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
                TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
                api.verifyDelegated(d.id());
                api.issue(d.id()).statusCode(202);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "active".equals(api.status(d.id())));
            }
        }
    }

    @Test
    void without_the_binding_the_ca_refuses_and_the_caller_sees_a_bad_gateway() {
        int dnsPort = FreePorts.udpAndTcp();
        try (AcmeTestBed bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600, Map.of(KID, HMAC))) {
            Map<String, String> env = new HashMap<>(bed.serviceEnvironment());
            env.put("DNS_SERVER_PORT", String.valueOf(dnsPort));
            try (ServiceProcess service = ServiceProcess.start("no-eab", env)) {
                ServiceClient api = new ServiceClient(service);
                RegisteredDomain d = api.register("no-eab-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
                TestDnsResource.server().txt(d.challengeName(), d.token());
                api.verifyDelegated(d.id());
                String error = api.issue(d.id()).statusCode(502).extract().path("error");
                assertThat(error).startsWith("the ACME CA refused the order: ").contains("externalAccountRequired");
                assertThat(api.status(d.id())).isEqualTo("verified");
            }
        }
    }
}
