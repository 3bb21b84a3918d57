package io.dnshandling.issuance;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.dnshandling.support.Issuance.verifiedDomain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.NoDueRenewalsResource;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issuance end to end: a real CA (Pebble) validating dns-01 through a real recursive resolver,
 * the customer's zone on a loopback DNS server, the service's own DNS server, PostgreSQL.
 */
@QuarkusTest
@TestProfile(IssuanceEndToEndTest.WithPebble.class)
class IssuanceEndToEndTest {

    static final Duration ISSUED_WITHIN = Duration.ofSeconds(30);

    public static class WithPebble implements QuarkusTestProfile {
        /** Renewals earlier classes left due are moved out first: IssuanceReportingTest counts every request to the CA. */
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class), new TestResourceEntry(NoDueRenewalsResource.class));
        }
    }

    @Inject
    Rows rows;

    @Test
    void publishing_the_expected_value_by_hand_ends_in_an_active_domain_with_its_certificate() throws Exception {
        RegisteredDomain d = verifiedDomain("manual");
        var opened = issue(d.id()).statusCode(202)
                .body("order_id", matchesPattern("[0-9a-f]{32}"))
                .body("status", equalTo("certificate_pending"))
                .body("challenge_domain", equalTo(d.challengeName()))
                .body("expected_txt_value", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("instructions", containsString(d.challengeName()))
                .extract().jsonPath();
        get(d.id()).body("status", equalTo("certificate_pending"));
        TestDnsResource.server().txt(d.challengeName(), opened.getString("expected_txt_value"));

        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        var cert = given().get("/domains/" + d.id() + "/certificate").then().statusCode(200)
                .body("id", matchesPattern("[0-9a-f]{32}"))
                .body("domain_id", equalTo(d.id()))
                .extract().jsonPath();
        assertThat(cert.getMap("$")).containsOnlyKeys("id", "domain_id", "issued_at", "expires_at", "created_at", "names", "issuer",
                "acme_directory");
        assertThat(cert.getList("names")).containsExactly(d.domainName());
        assertThat(cert.getString("issuer")).isEqualTo("default");

        // expires_at is the certificate's own notAfter, read back from the stored chain.
        String chain = rows.string("SELECT chain_pem FROM certificates WHERE id = ?", cert.getString("id"));
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
        assertThat(Instant.parse(cert.getString("expires_at"))).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo(d.domainName()));
        assertThat(rows.string("SELECT state FROM acme_orders WHERE id = ?", opened.getString("order_id"))).isEqualTo("valid");

        // Private keys are encrypted at rest, bound to their rows: the raw columns hold no PEM key.
        assertThat(rows.string("SELECT private_key_pem FROM certificates WHERE id = ?", cert.getString("id")))
                .startsWith("v2:").doesNotContain("PRIVATE KEY");
        assertThat(rows.string("SELECT key_pem FROM acme_accounts WHERE directory_url = ?", AcmeTestBedResource.current().pebble.directory()))
                .startsWith("v2:").doesNotContain("PRIVATE KEY");
        // The key moved to the certificate's row; the order keeps no copy.
        assertThat(rows.string("SELECT certificate_key_pem FROM acme_orders WHERE id = ?", opened.getString("order_id"))).isNull();
    }

    @Test
    void with_one_cname_the_whole_flow_needs_no_other_dns_change() {
        RegisteredDomain d = delegatedDomain("delegated");
        issue(d.id()).statusCode(202).body("instructions", containsString("_acme-challenge." + d.projectSubdomain()));
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        given().get("/domains/" + d.id() + "/certificate").then().statusCode(200);
    }

    @Test
    void a_value_never_published_fails_the_domain_after_the_txt_deadline() {
        RegisteredDomain d = verifiedDomain("unpublished");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "failed", Duration.ofSeconds(30));
        get(d.id()).body("failure_reason", containsString("was not visible through the resolvers"));
        given().get("/domains/" + d.id() + "/certificate").then().statusCode(404).body("error", containsString("domain is failed"));
    }

    @Test
    void a_name_the_ca_refuses_is_a_bad_gateway_and_leaves_nothing_behind() {
        rows.update("DELETE FROM domains WHERE domain_name = ?", AcmeTestBed.BLOCKED);
        RegisteredDomain d = registered(AcmeTestBed.BLOCKED);
        TestDnsResource.server().txt(d.challengeName(), d.token());
        Api.verify(d.id()).statusCode(200);
        issue(d.id()).statusCode(502).body("error", containsString("refused"));
        get(d.id()).body("status", equalTo("verified"));
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    void an_active_domain_is_reissued_and_stays_active_meanwhile() {
        RegisteredDomain d = delegatedDomain("reissue");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        String first = given().get("/domains/" + d.id() + "/certificate").then().extract().path("id");

        issue(d.id()).statusCode(202).body("status", equalTo("active"));
        get(d.id()).body("status", equalTo("active"));
        org.awaitility.Awaitility.await().atMost(ISSUED_WITHIN)
                .until(() -> rows.count("SELECT count(*) FROM certificates WHERE domain_id = ?", d.id()) == 2);
        String second = given().get("/domains/" + d.id() + "/certificate").then().statusCode(200).extract().path("id");
        assertThat(second).isNotEqualTo(first);
        get(d.id()).body("status", equalTo("active"));
    }

    @Test
    void concurrent_issue_requests_open_one_order() throws Exception {
        RegisteredDomain d = verifiedDomain("concurrent-issue");
        List<Integer> statuses = Concurrently.run(4, i -> () -> issue(d.id()).extract().statusCode());
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 202).allMatch(s -> s == 400 || s == 409);
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isEqualTo(1);
    }

    @Test
    void the_public_chain_is_downloadable_as_pem_and_never_holds_the_key() {
        RegisteredDomain d = delegatedDomain("chain");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        String pem = given().get("/domains/" + d.id() + "/certificate/chain").then().statusCode(200)
                .contentType(containsString("application/pem-certificate-chain")).extract().asString();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
        assertThat(pem.split("-----BEGIN CERTIFICATE-----")).hasSizeGreaterThanOrEqualTo(3); // leaf and issuer
        given().get("/domains/0123456789abcdef0123456789abcdef/certificate/chain").then().statusCode(404)
                .body("error", equalTo("domain not found"));
    }

    @Test
    void a_revoked_certificate_is_revoked_at_the_ca_and_recorded_once() throws Exception {
        RegisteredDomain d = delegatedDomain("revoke");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        given().contentType("application/json").body("{\"reason\": \"sideways\"}").post("/domains/" + d.id() + "/certificate/revoke")
                .then().statusCode(400).body("error", containsString("key_compromise"));
        given().contentType("application/json").body("{\"reason\": \"key_compromise\"}").post("/domains/" + d.id() + "/certificate/revoke")
                .then().statusCode(200).body("reason", equalTo("key_compromise")).body("domain_id", equalTo(d.id()));
        // No body at all: the reason defaults to unspecified, and this one was revoked already.
        given().contentType("application/json").post("/domains/" + d.id() + "/certificate/revoke").then().statusCode(400)
                .body("error", containsString("already revoked"));

        // Pebble's own record of the serial says revoked.
        String serial = rows.string("SELECT serial FROM certificates WHERE domain_id = ?", d.id());
        String status = given().relaxedHTTPSValidation()
                .get(AcmeTestBedResource.current().pebble.managementUrl() + "/cert-status-by-serial/" + serial)
                .then().statusCode(200).extract().path("Status");
        assertThat(status).isEqualTo("Revoked");

        // A new certificate replaces it on request.
        issue(d.id()).statusCode(202);
        org.awaitility.Awaitility.await().atMost(ISSUED_WITHIN)
                .until(() -> rows.count("SELECT count(*) FROM certificates WHERE domain_id = ? AND revoked_at IS NULL", d.id()) == 1);
    }

    @Test
    void deleting_with_revoke_revokes_then_removes_everything() {
        RegisteredDomain d = delegatedDomain("delete-revoke");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        String serial = rows.string("SELECT serial FROM certificates WHERE domain_id = ?", d.id());
        given().delete("/domains/" + d.id() + "?revoke=true").then().statusCode(204);
        given().get("/domains/" + d.id()).then().statusCode(404);
        assertThat(rows.count("SELECT count(*) FROM certificates WHERE domain_id = ?", d.id())).isZero();
        String status = given().relaxedHTTPSValidation()
                .get(AcmeTestBedResource.current().pebble.managementUrl() + "/cert-status-by-serial/" + serial)
                .then().statusCode(200).extract().path("Status");
        assertThat(status).isEqualTo("Revoked");
    }

    @Test
    void deleting_a_domain_with_an_open_order_cancels_it() {
        RegisteredDomain d = verifiedDomain("delete-open");
        issue(d.id()).statusCode(202);
        given().delete("/domains/" + d.id()).then().statusCode(204);
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    void only_verified_or_active_domains_can_be_issued() {
        RegisteredDomain pending = registered(uniqueDomain("pending"));
        issue(pending.id()).statusCode(400).body("error", containsString("domain is pending"));
        issue("0123456789abcdef0123456789abcdef").statusCode(404).body("error", equalTo("domain not found"));
    }

    @Test
    void the_certificate_endpoint_says_which_of_its_three_404s_applies() {
        given().get("/domains/0123456789abcdef0123456789abcdef/certificate").then().statusCode(404)
                .body("error", equalTo("domain not found"));
        RegisteredDomain pending = registered(uniqueDomain("nocert"));
        given().get("/domains/" + pending.id() + "/certificate").then().statusCode(404)
                .body("error", containsString("domain is pending"));
        rows.update("UPDATE domains SET status = 'active' WHERE id = ?", pending.id());
        given().get("/domains/" + pending.id() + "/certificate").then().statusCode(404)
                .body("error", equalTo("no certificate is stored for this domain"));
    }
}
