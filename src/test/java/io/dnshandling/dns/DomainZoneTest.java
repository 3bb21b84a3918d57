package io.dnshandling.dns;

import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Api.verify;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** What a registered domain puts in the zone, as the built-in server answers it over UDP. */
@QuarkusTest
class DomainZoneTest {

    static final String ZONE = DnsServerTest.ZONE;

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    @Test
    void a_domain_project_subdomain_answers_the_ingress_addresses() throws Exception {
        RegisteredDomain d = registered(uniqueDomain("ingress"));
        String host = d.projectSubdomain() + "." + ZONE;
        assertThat(dns.awaitAnswer(host, Type.A).getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactlyInAnyOrder("192.0.2.80", "192.0.2.81");
        assertThat(dns.awaitAnswer(host, Type.AAAA).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((AAAARecord) r).getAddress()).isEqualTo(InetAddress.getByName("2001:db8::80")));
    }

    @Test
    void a_pending_domain_has_its_token_at_its_delegation_target_until_verified() {
        RegisteredDomain d = registered(uniqueDomain("delegated"));
        String target = "_acme-challenge." + d.projectSubdomain() + "." + ZONE;
        Message m = dns.awaitAnswer(target, Type.TXT);
        assertThat(m.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly(d.token()));

        // Verified (here through a TXT the customer published; the delegated path end to end is
        // DelegationEndToEndTest), the token is withdrawn.
        TestDnsResource.server().txt(d.challengeName(), d.token());
        verify(d.id()).statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> dns.udp(target, Type.TXT).getRcode() == Rcode.NXDOMAIN);
    }
}
