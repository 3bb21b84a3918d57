package io.dnshandling.diagnosis;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.PebbleProfile;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis against the real DNS world of the issuance tests: the customer's zone on the test
 * DNS server, unbound as the resolver, the service's own DNS server, and Pebble. Each case sets up
 * what a customer gets wrong and reads the sentence the diagnosis gives for it.
 */
@QuarkusTest
@TestProfile(PebbleProfile.class)
class DiagnosisTest {

    private final TestDnsServer dns = TestDnsResource.server();

    private static String target(RegisteredDomain d) {
        return "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE;
    }

    private static JsonPath diagnosis(String id) {
        return given().get("/domains/" + id + "/diagnosis").then().statusCode(200).extract().jsonPath();
    }

    /** Each check's result and message, by check. */
    private static Map<String, List<String>> checks(JsonPath report) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, String> c : report.<Map<String, String>>getList("checks")) {
            out.put(c.get("check"), List.of(c.get("result"), c.get("message")));
        }
        return out;
    }

    @Test
    void a_missing_cname_is_a_problem_that_names_the_record_to_create() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-missing"));
        JsonPath report = diagnosis(d.id());
        Map<String, List<String>> checks = checks(report);
        assertThat(report.getBoolean("healthy")).isFalse();
        assertThat(report.getString("status")).isEqualTo("pending");
        assertThat(report.getString("certificate_state")).isEqualTo("none");
        assertThat(checks.get("delegation")).containsExactly("problem", "There is no CNAME at _acme-challenge." + d.domainName()
                + " (the name does not exist): set the CNAME _acme-challenge." + d.domainName() + " -> " + target(d) + ".");
        assertThat(checks.get("ownership").get(0)).isEqualTo("problem");
        assertThat(checks.get("ownership").get(1)).startsWith("Not verified yet: once the CNAME").contains("/verify");
        // Our server serves the token at the target already; the resolvers reach it once the CNAME is set.
        assertThat(checks.get("challenge_values").get(0)).isEqualTo("ok");
        assertThat(checks.get("challenge_values").get(1)).contains("once the delegation CNAME is right");
        assertThat(checks.get("caa").get(0)).isEqualTo("ok");
        assertThat(checks).containsOnlyKeys("ownership", "delegation", "challenge_values", "caa", "certificate");
    }

    @Test
    void a_cname_to_another_target_is_a_problem_that_names_both() throws IOException {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-wrong"));
        dns.cname(d.challengeName(), "_acme-challenge.elsewhere.example.com.");
        JsonPath report = diagnosis(d.id());
        // Kept as the README's example of a diagnosis.
        Files.writeString(Path.of("target", "diagnosis-example.json"), report.prettify());
        assertThat(checks(report).get("delegation")).containsExactly("problem", "_acme-challenge." + d.domainName()
                + " is a CNAME to _acme-challenge.elsewhere.example.com, not to this domain's delegation target: change it to " + target(d) + ".");
    }

    @Test
    void a_stale_txt_set_by_hand_is_a_problem_that_says_to_remove_it() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-stale"));
        dns.txt(d.challengeName(), "left-over-from-another-acme-client");
        List<String> delegation = checks(diagnosis(d.id())).get("delegation");
        assertThat(delegation.get(0)).isEqualTo("problem");
        assertThat(delegation.get(1)).isEqualTo("_acme-challenge." + d.domainName() + " holds the TXT value \"left-over-from-another-acme-client\", "
                + "set by hand and stale: it is neither this domain's verification token nor a value of its open order. Remove it and set the "
                + "CNAME _acme-challenge." + d.domainName() + " -> " + target(d) + ".");
    }

    @Test
    void the_right_token_set_by_hand_proves_ownership_but_asks_for_the_cname() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-byhand"));
        dns.txt(d.challengeName(), d.token());
        List<String> delegation = checks(diagnosis(d.id())).get("delegation");
        assertThat(delegation.get(0)).isEqualTo("ok");
        assertThat(delegation.get(1)).contains("holds the right TXT value, set by hand").contains("-> " + target(d));
    }

    @Test
    void caa_naming_another_ca_is_a_problem_naming_the_record() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("diag-caa"));
        dns.caa(d.domainName(), 0, "issue", "letsencrypt.org");
        List<String> caa = checks(diagnosis(d.id())).get("caa");
        assertThat(caa.get(0)).isEqualTo("problem");
        assertThat(caa.get(1)).contains("CAA at " + d.domainName()).contains("0 issue \"letsencrypt.org\"").contains("Add a CAA issue record");
    }

    @Test
    void a_delegated_active_domain_is_healthy_in_every_check() {
        RegisteredDomain d = delegatedDomain("diag-good");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(60));
        JsonPath report = diagnosis(d.id());
        Map<String, List<String>> checks = checks(report);
        assertThat(checks.values()).as("%s", checks).allMatch(c -> c.get(0).equals("ok"));
        assertThat(report.getBoolean("healthy")).isTrue();
        assertThat(report.getString("certificate_state")).isEqualTo("valid");
        assertThat(checks.get("delegation").get(1)).isEqualTo("_acme-challenge." + d.domainName() + " is a CNAME to " + target(d)
                + ", as it should be: verification and every renewal need no further DNS change.");
        assertThat(checks.get("certificate").get(1)).startsWith("The certificate for " + d.domainName() + " is valid until");
        assertThat(checks.get("order").get(1)).startsWith("The issue order opened at").endsWith("completed.");
        assertThat(checks).containsKeys("ownership", "challenge_values", "caa");
    }

    @Test
    void an_additional_name_with_a_challenge_of_its_own_has_its_delegation_checked_too() {
        RegisteredDomain d = delegatedDomain("diag-names");
        String www = "www." + d.domainName();
        for (String name : List.of("*." + d.domainName(), www)) {
            given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}").post("/domains/" + d.id() + "/names")
                    .then().statusCode(201);
        }
        Map<String, List<String>> checks = checks(diagnosis(d.id()));
        // The wildcard is proven at the domain's own challenge name: no check of its own.
        assertThat(checks.keySet()).filteredOn(c -> c.startsWith("delegation")).containsExactly("delegation", "delegation:" + www);
        assertThat(checks.get("delegation").get(0)).isEqualTo("ok");
        assertThat(checks.get("delegation:" + www)).containsExactly("problem", "There is no CNAME at _acme-challenge." + www
                + " (the name does not exist): set the CNAME _acme-challenge." + www + " -> " + target(d) + ".");
        dns.cname("_acme-challenge." + www + ".", target(d) + ".");
        // Asked again once the resolver's negative answer has expired.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> checks(diagnosis(d.id())).get("delegation:" + www).get(0).equals("ok"));
    }

    @Test
    void an_unknown_domain_is_a_404() {
        given().get("/domains/" + "0".repeat(32) + "/diagnosis").then().statusCode(404).body("error", equalTo("domain not found"));
        given().get("/domains/not-an-id/diagnosis").then().statusCode(404);
    }
}
