package io.dnshandling.verification;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Api.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.PebbleProfile;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * Delegation as it happens on the internet: the service resolves through a recursive resolver;
 * the customer's zone (example.com, served by the test's DNS server) holds only the one CNAME
 * into the service's zone, which the service's own DNS server answers. No TXT is set by hand.
 */
@QuarkusTest
@TestProfile(PebbleProfile.class) // its world resolves through unbound, example.com and the service's zone as stubs
class DelegationEndToEndTest {

    static final String ZONE = AcmeTestBed.ZONE;

    @Test
    void one_cname_is_all_the_customer_sets_and_verification_succeeds() {
        RegisteredDomain d = registered(uniqueDomain("delegated"));
        TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + ZONE + ".");
        verify(d.id()).statusCode(200).body("status", equalTo("verified"));
        get(d.id()).body("status", equalTo("verified"));
    }

    @Test
    void the_delegation_can_be_inspected_through_resolve() {
        RegisteredDomain d = registered(uniqueDomain("inspect"));
        TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + ZONE + ".");
        given().queryParam("name", d.challengeName()).queryParam("type", "TXT").get("/dns/resolve").then()
                .statusCode(200)
                .body("status", equalTo("NOERROR"))
                .body("records.value", hasItem(d.token()));
    }

    @Test
    void without_the_cname_the_recursive_answer_is_nxdomain_and_verification_says_so() {
        RegisteredDomain d = registered(uniqueDomain("undelegated"));
        verify(d.id()).statusCode(400).body("error", containsString("NXDOMAIN"));
    }

    @Test
    void a_cname_to_the_wrong_target_does_not_verify() {
        RegisteredDomain d = registered(uniqueDomain("wrongtarget"));
        RegisteredDomain other = registered(uniqueDomain("other"));
        // Pointing at another domain's delegation target finds that domain's token, not this one's.
        TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + other.projectSubdomain() + "." + ZONE + ".");
        verify(d.id()).statusCode(400).body("error", containsString("not among"));
    }
}
