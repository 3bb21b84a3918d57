package io.dnshandling.support;

import static io.restassured.RestAssured.given;

import io.dnshandling.support.Api.RegisteredDomain;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Steps of the issuance flow, as a test drives them through the API. */
public final class Issuance {

    private Issuance() {
    }

    /** Registers a domain and verifies it with a TXT record published in the customer's zone. */
    public static RegisteredDomain verifiedDomain(String prefix) {
        RegisteredDomain d = Api.registered(Api.uniqueDomain(prefix));
        TestDnsResource.server().txt(d.challengeName(), d.token());
        Api.verify(d.id()).statusCode(200);
        return d;
    }

    /** Registers a domain whose _acme-challenge name is delegated to the service with one CNAME, and verifies it. */
    public static RegisteredDomain delegatedDomain(String prefix) {
        RegisteredDomain d = Api.registered(Api.uniqueDomain(prefix));
        TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        // The token reaches the built-in DNS server through a database notification, a few
        // milliseconds after registration: as a customer would, verify again until it is there.
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> Api.verify(d.id()).extract().statusCode() == 200);
        return d;
    }

    public static ValidatableResponse issue(String id) {
        return given().post("/domains/" + id + "/issue-certificate").then();
    }

    /** Waits, with a deadline, until the domain reaches {@code status}. */
    public static void awaitStatus(String id, String status, Duration within) {
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(Api.get(id).extract().path("status")));
    }
}
