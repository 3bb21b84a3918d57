package io.dnshandling.verification;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Api.verify;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.dnshandling.support.Management;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.dnshandling.support.TestDnsServer.Fault;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OwnershipVerificationTest {

    private final TestDnsServer dns = TestDnsResource.server();

    @Inject
    Rows rows;

    @Test
    void the_published_token_verifies_the_domain() {
        RegisteredDomain d = registered(uniqueDomain("txt"));
        dns.txt(d.challengeName(), "unrelated", d.token());
        verify(d.id()).statusCode(200)
                .body("status", equalTo("verified"))
                .body("verified_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .body("$", not(hasKey("failure_reason")));
        get(d.id()).statusCode(200).body("status", equalTo("verified"));
    }

    @Test
    void verifying_again_is_idempotent() {
        RegisteredDomain d = registered(uniqueDomain("again"));
        dns.txt(d.challengeName(), d.token());
        String first = verify(d.id()).statusCode(200).extract().path("verified_at");
        dns.clear(d.challengeName()); // once verified, DNS is not consulted again
        verify(d.id()).statusCode(200).body("status", equalTo("verified")).body("verified_at", equalTo(first));
    }

    @Test
    void a_token_reached_through_a_cname_chain_verifies_the_domain() {
        RegisteredDomain d = registered(uniqueDomain("cname"));
        String hop = "_acme-challenge.hop." + d.domainName() + ".";
        String target = "_acme-challenge." + d.projectSubdomain() + ".delegated.example.net.";
        dns.cname(d.challengeName(), hop);
        dns.cname(hop, target);
        dns.txt(target, d.token());
        verify(d.id()).statusCode(200).body("status", equalTo("verified"));
    }

    @Test
    void a_missing_name_is_a_bad_request_naming_the_queried_name() {
        RegisteredDomain d = registered(uniqueDomain("nx"));
        verify(d.id()).statusCode(400)
                .body("error", allOf(containsString(d.challengeName()), containsString("NXDOMAIN")));
        get(d.id()).body("status", equalTo("pending"));
    }

    @Test
    void a_name_without_txt_records_is_a_bad_request() {
        RegisteredDomain d = registered(uniqueDomain("nodata"));
        dns.a(d.challengeName(), "192.0.2.1");
        verify(d.id()).statusCode(400)
                .body("error", allOf(containsString("no TXT record found at " + d.challengeName())));
    }

    @Test
    void other_txt_values_are_reported_and_do_not_verify() {
        RegisteredDomain d = registered(uniqueDomain("wrong"));
        dns.txt(d.challengeName(), "v=spf1 -all", "not-the-token");
        verify(d.id()).statusCode(400)
                .body("error", allOf(containsString(d.challengeName()), containsString("not among the 2 TXT value(s)"),
                        containsString("not-the-token")));
        get(d.id()).body("status", equalTo("pending"));
    }

    @Test
    void a_server_failure_is_a_failed_dependency() {
        RegisteredDomain d = registered(uniqueDomain("servfail"));
        dns.fail(d.challengeName(), Fault.SERVFAIL);
        verify(d.id()).statusCode(424).body("error", containsString("SERVFAIL"));
        get(d.id()).body("status", equalTo("pending"));
    }

    @Test
    void a_refusal_is_a_failed_dependency() {
        RegisteredDomain d = registered(uniqueDomain("refused"));
        dns.fail(d.challengeName(), Fault.REFUSED);
        verify(d.id()).statusCode(424).body("error", containsString("REFUSED"));
    }

    @Test
    void a_resolver_that_never_answers_is_a_failed_dependency() {
        RegisteredDomain d = registered(uniqueDomain("silent"));
        dns.fail(d.challengeName(), Fault.SILENCE);
        verify(d.id()).statusCode(424).body("error", containsString("did not answer within"));
        get(d.id()).body("status", equalTo("pending"));
    }

    @Test
    void a_failed_domain_can_be_verified_again_and_loses_its_failure_reason() {
        RegisteredDomain d = registered(uniqueDomain("failed"));
        rows.update("UPDATE domains SET status = 'failed', failure_reason = 'CA said no' WHERE id = ?", d.id());
        get(d.id()).body("failure_reason", equalTo("CA said no"));
        dns.txt(d.challengeName(), d.token());
        verify(d.id()).statusCode(200).body("status", equalTo("verified")).body("$", not(hasKey("failure_reason")));
        assertThat(rows.string("SELECT failure_reason FROM domains WHERE id = ?", d.id())).isNull();
    }

    @Test
    void domains_past_verification_cannot_be_verified_and_say_their_status() {
        for (String status : List.of("certificate_pending", "active")) {
            RegisteredDomain d = registered(uniqueDomain(status.replace('_', '-')));
            rows.update("UPDATE domains SET status = ? WHERE id = ?", status, d.id());
            dns.txt(d.challengeName(), d.token());
            verify(d.id()).statusCode(400).body("error", containsString("domain is " + status));
            get(d.id()).body("status", equalTo(status));
        }
    }

    @Test
    void an_unknown_id_is_not_found() {
        verify("0123456789abcdef0123456789abcdef").statusCode(404).body("error", equalTo("domain not found"));
        verify("nope").statusCode(404).body("error", equalTo("domain not found"));
    }

    @Test
    void concurrent_verifications_make_exactly_one_transition() throws Exception {
        RegisteredDomain d = registered(uniqueDomain("concurrent"));
        dns.txt(d.challengeName(), d.token());
        double before = transitionsToVerified();
        List<String> statuses = Concurrently.run(8, i -> () -> verify(d.id()).statusCode(200).extract().path("status"));
        assertThat(statuses).hasSize(8).containsOnly("verified");
        assertThat(transitionsToVerified() - before).isEqualTo(1.0);
    }

    /** The service's own count of pending -> verified moves, from its Prometheus endpoint. */
    private static double transitionsToVerified() {
        String metrics = Management.metrics();
        Matcher m = Pattern.compile("(?m)^domain_transitions_total\\{[^}]*from=\"pending\"[^}]*to=\"verified\"[^}]*} ([0-9.eE+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
