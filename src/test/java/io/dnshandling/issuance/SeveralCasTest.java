package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Management;
import io.dnshandling.support.PebbleServer;
import io.dnshandling.support.Rows;
import io.dnshandling.support.SeveralCasResource;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Orders go to the first of several CAs that takes them (ACME_ISSUERS: a rate-limiting CA, then two
 * Pebbles with different roots): a rate limit, CAA and a rejected name each send the order on;
 * the issuing CA is recorded, shown and preferred at renewal; a CA that stops answering is passed
 * over. The last test stops the first Pebble.
 */
@QuarkusTest
@TestProfile(SeveralCasTest.WithThreeCas.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralCasTest {

    public static class WithThreeCas implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SeveralCasResource.class));
        }
    }

    static final Duration ISSUED_WITHIN = Duration.ofSeconds(30);
    private final TestDnsServer dns = TestDnsResource.server();

    @Inject
    Rows rows;

    @Test
    @Order(1)
    void a_rate_limited_ca_is_paused_and_the_next_one_issues() throws Exception {
        RegisteredDomain d = delegatedDomain("cas-limited");
        issue(d.id()).statusCode(202).body("status", equalTo("certificate_pending"));
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        certificate(d.id()).body("issuer", equalTo("first")).body("acme_directory", equalTo(SeveralCasResource.first().directory()));
        assertThat(intermediate(d.id())).isEqualTo(intermediateOf(SeveralCasResource.first()));
        // Asked once and refused (unless a renewal left over from an earlier test class was refused first).
        assertThat(SeveralCasResource.limited().newOrdersFor(d.domainName())).isLessThanOrEqualTo(1);
        assertThat(SeveralCasResource.limited().refused()).isPositive();

        // The rate limit's Retry-After pauses that CA: the next order does not ask it again.
        RegisteredDomain next = delegatedDomain("cas-limited-next");
        issue(next.id()).statusCode(202);
        awaitStatus(next.id(), "active", ISSUED_WITHIN);
        certificate(next.id()).body("issuer", equalTo("first"));
        assertThat(SeveralCasResource.limited().newOrdersFor(next.domainName())).isZero();
    }

    @Test
    @Order(2)
    void caa_forbidding_the_first_cas_sends_the_order_to_the_one_it_allows() throws Exception {
        RegisteredDomain d = delegatedDomain("cas-caa");
        dns.caa(d.domainName(), 0, "issue", "second.test");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        certificate(d.id()).body("issuer", equalTo("second")).body("acme_directory", equalTo(SeveralCasResource.second().directory()));
        assertThat(intermediate(d.id())).isEqualTo(intermediateOf(SeveralCasResource.second()))
                .isNotEqualTo(intermediateOf(SeveralCasResource.first()));

        // Renewal prefers the CA that issued the current certificate, even with nothing forbidding the first any more.
        dns.clear(d.domainName());
        String first = currentId(d.id());
        rows.update("UPDATE certificates SET renew_at = now() WHERE id = ?", first);
        Awaitility.await().atMost(ISSUED_WITHIN).until(() -> !currentId(d.id()).equals(first));
        certificate(d.id()).body("issuer", equalTo("second"));
        assertThat(rows.string("SELECT directory_url FROM acme_orders WHERE domain_id = ? AND purpose = 'renewal'", d.id()))
                .isEqualTo(SeveralCasResource.second().directory());
    }

    @Test
    @Order(3)
    void a_name_the_first_ca_rejects_goes_to_the_next() {
        String name = "cas-" + Long.toHexString(System.nanoTime()) + "." + AcmeTestBed.BLOCKED;
        RegisteredDomain d = Api.registered(name);
        dns.cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
        Api.verify(d.id()).statusCode(200);
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        certificate(d.id()).body("issuer", equalTo("second"));
    }

    @Test
    @Order(4)
    void caa_forbidding_every_ca_is_a_400_naming_each_refusal() {
        RegisteredDomain d = delegatedDomain("cas-caa-none");
        dns.caa(d.domainName(), 0, "issue", "elsewhere.test");
        issue(d.id()).statusCode(400).body("error", allOf(containsString("the CA limited"), containsString("the CA first"),
                containsString("the CA second"), containsString("0 issue \"elsewhere.test\"")));
        Api.get(d.id()).body("status", equalTo("verified"));
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    @Order(5)
    void issuance_is_counted_by_issuer() {
        String metrics = Management.metrics();
        assertThat(metrics).containsPattern("certificates_issuance_total\\{[^}]*issuer=\"first\"[^}]*result=\"valid\"[^}]*\\} [1-9]")
                .containsPattern("certificates_issuance_total\\{[^}]*issuer=\"second\"[^}]*result=\"valid\"[^}]*\\} [1-9]");
    }

    @Test
    @Order(6)
    void a_ca_that_forgot_the_account_is_given_the_stored_key_again() throws Exception {
        RegisteredDomain d = delegatedDomain("cas-forgot");
        dns.caa(d.domainName(), 0, "issue", "second.test");
        String account = rows.string("SELECT account_url FROM acme_accounts WHERE directory_url = ?", SeveralCasResource.second().directory());
        SeveralCasResource.second().restart();
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        certificate(d.id()).body("issuer", equalTo("second"));
        assertThat(rows.string("SELECT account_url FROM acme_accounts WHERE directory_url = ?", SeveralCasResource.second().directory()))
                .isNotEqualTo(account);
    }

    @Test
    @Order(7)
    void a_ca_that_stopped_answering_is_passed_over() {
        RegisteredDomain d = delegatedDomain("cas-down");
        SeveralCasResource.first().close();
        Instant asked = Instant.now();
        issue(d.id()).statusCode(202);
        Instant opened = Instant.now();
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        Instant active = Instant.now();
        certificate(d.id()).body("issuer", equalTo("second"));
        System.out.printf("fallback timeline for %s: issue-certificate at %s; limited paused (rate limit), first unreachable, "
                + "order opened at second after %d ms; active after %d ms%n", d.domainName(), asked,
                Duration.between(asked, opened).toMillis(), Duration.between(asked, active).toMillis());
    }

    private static io.restassured.response.ValidatableResponse certificate(String id) {
        return given().get("/domains/" + id + "/certificate").then().statusCode(200);
    }

    private String currentId(String domainId) {
        return rows.string("SELECT id FROM certificates WHERE domain_id = ? ORDER BY issued_at DESC LIMIT 1", domainId);
    }

    /** The issuing intermediate of the domain's current chain (the second certificate), as the CA's DN names it. */
    private static String intermediate(String domainId) throws Exception {
        String chain = given().get("/domains/" + domainId + "/certificate/chain").then().statusCode(200).extract().asString();
        List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(c -> (X509Certificate) c).toList();
        return certs.get(1).getSubjectX500Principal().getName();
    }

    private static String intermediateOf(PebbleServer pebble) throws Exception {
        String pem = given().relaxedHTTPSValidation().get(pebble.managementUrl() + "/intermediates/0").then().statusCode(200).extract().asString();
        return ((X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))).getSubjectX500Principal().getName();
    }
}
