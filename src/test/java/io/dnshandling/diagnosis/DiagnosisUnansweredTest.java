package io.dnshandling.diagnosis;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.dnshandling.support.UncommonSettingsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A resolver that never answers makes the DNS checks unknown, not wrong, once the diagnosis'
 * deadline passes (here shorter than the lookups' own timeout, so it is the deadline that ends
 * them), while the checks of what is stored still answer. Asked of the test DNS server directly:
 * through unbound, the silence would also teach the shared resolver to avoid the customer zone's
 * server for a while, and the other tests of that world would pay for it.
 */
@QuarkusTest
@TestProfile(UncommonSettingsProfile.class)
class DiagnosisUnansweredTest {

    @Test
    void resolvers_that_do_not_answer_make_the_dns_checks_unknown_not_wrong() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-silent"));
        TestDnsResource.server().fail(d.challengeName(), TestDnsServer.Fault.SILENCE);
        List<Map<String, String>> checks = given().get("/domains/" + d.id() + "/diagnosis").then().statusCode(200).extract().jsonPath()
                .getList("checks");
        Map<String, String> delegation = checks.stream().filter(c -> c.get("check").equals("delegation")).findFirst().orElseThrow();
        assertThat(delegation).containsEntry("result", "unknown");
        assertThat(delegation.get("message")).startsWith("The CNAME at _acme-challenge." + d.domainName() + " could not be looked up: ")
                .endsWith("no answer within the diagnosis deadline of 300 ms. Try again; if it lasts, the DNS servers of " + d.domainName()
                        + " do not answer.");
        assertThat(checks).filteredOn(c -> c.get("check").equals("ownership")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("result", "problem"));
    }
}
