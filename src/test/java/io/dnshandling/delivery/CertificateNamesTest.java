package io.dnshandling.delivery;

import static io.dnshandling.delivery.DeliveryTestSupport.ISSUED_WITHIN;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api;
import io.dnshandling.support.DeliveryTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A domain with more names than itself: its wildcard and a name under it, proven through the one
 * delegation target, issued by Pebble on one certificate (validated through unbound), served by
 * Caddy for each name, and re-issued without a name that is removed.
 */
@QuarkusTest
@TestProfile(DeliveryTestSupport.WithTerminators.class)
class CertificateNamesTest {

    private final TestDnsServer dns = TestDnsResource.server();

    @Inject
    Rows rows;

    @BeforeEach
    void authenticate() {
        DeliveryTestSupport.authenticate();
    }

    @AfterEach
    void forget() {
        DeliveryTestSupport.forget(rows);
    }

    @AfterAll
    static void stopCaddy() {
        DeliveryTestSupport.stopCaddy();
    }

    @Test
    void wildcard_base_and_www_on_one_certificate_through_one_delegation_target_served_for_each_name() throws Exception {
        RegisteredDomain d = delegatedDomain("deliver-names");
        String target = "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".";
        String wildcard = "*." + d.domainName();
        String www = "www." + d.domainName();

        addName(d.id(), wildcard).statusCode(201).body("name", equalTo(wildcard)).body("status", equalTo("verified"));
        // www is looked up where the CA will look: nothing there yet.
        addName(d.id(), www.toUpperCase() + ".").statusCode(201).body("name", equalTo(www)).body("status", equalTo("pending"))
                .body("problem", containsString("_acme-challenge." + www + ". -> " + target))
                .body("instructions", containsString("_acme-challenge." + www + ". -> " + target.substring(0, target.length() - 1)));
        dns.cname("_acme-challenge." + www + ".", target);
        // Asked again once the resolver's negative answer from the first check has expired (1 s here).
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> "verified".equals(addName(d.id(), www).statusCode(200).extract().path("status")));
        addName(d.id(), www).statusCode(200).body("status", equalTo("verified")).body("problem", nullValue());
        Api.get(d.id()).body("names", hasSize(2)).body("names[0].name", equalTo(wildcard)).body("names[1].name", equalTo(www));

        ValidatableResponse opened = issue(d.id()).statusCode(202);
        // The wildcard and its base share one record name; www has its own, CNAMEd to the same target.
        List<String> recordNames = opened.extract().path("challenges.record_name");
        assertThat(recordNames).hasSize(3).containsOnly("_acme-challenge." + d.domainName() + ".", "_acme-challenge." + www + ".");
        awaitStatus(d.id(), "active", ISSUED_WITHIN);

        List<String> names = certificateNames(d.id());
        assertThat(names).containsExactlyInAnyOrder(d.domainName(), wildcard, www);
        String serial = DeliveryTestSupport.currentSerial(rows, d.id());
        int port = DeliveryTestSupport.caddy().port();
        // Each handshake checks the host name against the certificate, so these prove the SANs.
        for (String name : List.of(d.domainName(), www, "shop." + d.domainName())) {
            Awaitility.await().atMost(DeliveryTestSupport.DELIVERED_WITHIN)
                    .until(() -> DeliveryTestSupport.tls().serves(port, name, serial));
        }
        assertThat(DeliveryTestSupport.tls().refuses(port, "a.b." + d.domainName())).isTrue();
        System.out.println("certificate of " + d.domainName() + " covers " + names);
    }

    @Test
    void a_removed_name_is_re_issued_away_and_no_longer_served() {
        RegisteredDomain d = delegatedDomain("deliver-names-rm");
        String www = "www." + d.domainName();
        dns.cname("_acme-challenge." + www + ".", "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        addName(d.id(), www).statusCode(201).body("status", equalTo("verified"));
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        String first = currentId(d.id());
        assertThat(certificateNames(d.id())).containsExactlyInAnyOrder(d.domainName(), www);

        given().delete("/domains/" + d.id() + "/names/" + www).then().statusCode(204);
        given().delete("/domains/" + d.id() + "/names/" + www).then().statusCode(404).body("error", containsString("is not a name of this domain"));
        // The removed name is not served even before the certificate is replaced.
        given().get("/tls/" + DeliveryTestBedResource.DELIVERY_TOKEN + "/certificate?server_name=" + www).then().statusCode(204);
        Awaitility.await().atMost(ISSUED_WITHIN).until(() -> !currentId(d.id()).equals(first)
                && certificateNames(d.id()).equals(List.of(d.domainName())));
    }

    @Test
    void the_domain_s_wildcard_is_proven_by_the_domain_s_own_verification() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("deliver-names-pending"));
        addName(d.id(), "*." + d.domainName()).statusCode(201).body("status", equalTo("pending"))
                .body("problem", equalTo("proven when " + d.domainName() + " is verified"));
        dns.txt(d.challengeName(), d.token());
        Api.verify(d.id()).statusCode(200);
        given().get("/domains/" + d.id() + "/names").then().statusCode(200)
                .body("", hasSize(1)).body("[0].status", equalTo("verified")).body("[0].instructions", nullValue());
        given().delete("/domains/" + d.id() + "/names/*." + d.domainName()).then().statusCode(204);
        given().get("/domains/" + d.id() + "/names").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void names_that_are_not_the_domain_s_or_bodies_that_are_not_a_name_are_400s_and_store_nothing() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("deliver-names-bad"));
        addName(d.id(), "other-" + d.domainName()).statusCode(400).body("error", containsString("is not " + d.domainName() + " or a name under it"));
        addName(d.id(), d.domainName()).statusCode(400).body("error", containsString("is the domain itself"));
        addName(d.id(), "*").statusCode(400).body("error", containsString("a wildcard has one '*', as its whole leftmost label"));
        addName(d.id(), "*.*." + d.domainName()).statusCode(400).body("error", containsString("a wildcard has one '*'"));
        addName(d.id(), "w*w." + d.domainName()).statusCode(400).body("error", containsString("a wildcard has one '*'"));
        addName(d.id(), "a..b." + d.domainName()).statusCode(400);
        addName(d.id(), "192.0.2.1").statusCode(400);
        addName(d.id(), "").statusCode(400).body("error", equalTo("name is required"));
        given().contentType(ContentType.JSON).body("{\"name\": 5").post("/domains/" + d.id() + "/names").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\": [\"a\"]}").post("/domains/" + d.id() + "/names").then().statusCode(400);
        given().contentType(ContentType.TEXT).body("www").post("/domains/" + d.id() + "/names").then().statusCode(415);
        addName("0".repeat(32), "www.example.com").statusCode(404).body("error", equalTo("domain not found"));
        given().delete("/domains/" + d.id() + "/names/www." + d.domainName()).then().statusCode(404);
        assertThat(rows.count("SELECT count(*) FROM domain_names WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    void a_certificate_holds_at_most_acme_max_names_and_another_verified_domain_s_name_is_not_taken() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("deliver-names-many"));
        for (int i = 1; i < 100; i++) {
            addName(d.id(), "n" + i + "." + d.domainName()).statusCode(201);
        }
        addName(d.id(), "n100." + d.domainName()).statusCode(409)
                .body("error", allOf(containsString("at most 100 names"), containsString("has 100 already")));
        // A name checked again does not count twice.
        addName(d.id(), "n1." + d.domainName()).statusCode(200);

        RegisteredDomain parent = delegatedDomain("deliver-names-parent");
        RegisteredDomain own = Api.registered("www." + parent.domainName());
        dns.txt(own.challengeName(), own.token());
        Api.verify(own.id()).statusCode(200);
        addName(parent.id(), own.domainName()).statusCode(409).body("error", containsString("is registered and verified as a domain of its own"));
    }

    private static ValidatableResponse addName(String id, String name) {
        return given().contentType(ContentType.JSON).body(java.util.Map.of("name", name)).post("/domains/" + id + "/names").then();
    }

    private String currentId(String domainId) {
        return rows.string("SELECT id FROM certificates WHERE domain_id = ? ORDER BY issued_at DESC LIMIT 1", domainId);
    }

    private static List<String> certificateNames(String domainId) {
        return given().get("/domains/" + domainId + "/certificate").then().statusCode(200).extract().path("names");
    }
}
