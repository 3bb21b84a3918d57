package io.dnshandling.issuance;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.PebbleProfile;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** CAA is checked before an order goes to the CA, and again before each renewal (Pebble, CAA in the customer's zone). */
@QuarkusTest
@TestProfile(PebbleProfile.class)
class CaaTest {

    private final TestDnsServer dns = TestDnsResource.server();

    @Inject
    Rows rows;

    @Test
    void a_record_naming_another_ca_is_a_400_naming_the_record_and_nothing_reaches_the_ca() {
        RegisteredDomain d = delegatedDomain("caa-other");
        dns.caa(d.domainName(), 0, "issue", "letsencrypt.org");
        issue(d.id()).statusCode(400).body("error", allOf(containsString("CAA at " + d.domainName()),
                containsString("0 issue \"letsencrypt.org\""), containsString("pebble.test")));
        get(d.id()).body("status", org.hamcrest.Matchers.equalTo("verified"));
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    void the_climb_finds_the_parent_s_record_and_a_record_naming_the_ca_lets_it_issue() {
        String parent = Api.uniqueDomain("caa-climb");
        RegisteredDomain d = Api.registered("www." + parent);
        dns.cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        Api.verify(d.id()).statusCode(200);
        // The name itself has no CAA; its parent allows Pebble, by dns-01.
        dns.caa(parent, 0, "issue", "pebble.test; validationmethods=dns-01");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        // The same parent refusing every CA stops the next name under it.
        String refusing = Api.uniqueDomain("caa-climb-no");
        RegisteredDomain other = Api.registered("www." + refusing);
        dns.cname(other.challengeName(), "_acme-challenge." + other.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        Api.verify(other.id()).statusCode(200);
        dns.caa(refusing, 0, "issue", ";");
        issue(other.id()).statusCode(400).body("error", allOf(containsString("CAA at " + refusing + " "), containsString("allows no CA")));
    }

    @Test
    void records_refusing_dns_01_or_every_ca_or_with_an_unknown_critical_property_are_refused() {
        for (String[] caa : new String[][] {{"0", "issue", "pebble.test; validationmethods=http-01"}, {"0", "issue", ";"}, {"128", "tbs", "x"}}) {
            RegisteredDomain d = delegatedDomain("caa-no");
            dns.caa(d.domainName(), Integer.parseInt(caa[0]), caa[1], caa[2]);
            issue(d.id()).statusCode(400).body("error", containsString("CAA at " + d.domainName()));
        }
    }

    @Test
    void a_renewal_that_caa_now_forbids_is_reported_as_a_failing_renewal() {
        RegisteredDomain d = delegatedDomain("caa-renew");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        dns.caa(d.domainName(), 0, "issue", "letsencrypt.org");
        // The resolver may still hold the "no CAA" it answered at issuance (for the zone's negative
        // TTL): the renewal is made due once the resolver gives the new record, as it would be days later.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().queryParam("name", d.domainName()).queryParam("type", "CAA").get("/dns/resolve")
                        .then().extract().jsonPath().getList("records").size() == 1);
        rows.update("UPDATE certificates SET renew_at = now() WHERE domain_id = ?", d.id());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> java.util.Objects.toString(get(d.id()).extract().<String>path("renewal_error"), "").contains("CAA at " + d.domainName()));
        get(d.id()).body("status", org.hamcrest.Matchers.equalTo("active"));
        // Its renewal would go on failing, and retrying, in every later test class.
        rows.update("DELETE FROM domains WHERE id = ?", d.id());
    }
}
