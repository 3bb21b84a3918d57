package io.dnshandling.domain;

import static io.dnshandling.support.Api.register;
import static io.dnshandling.support.Api.uniqueDomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.dnshandling.support.Concurrently;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DomainRegistrationTest {

    @Inject
    Rows rows;

    @Test
    void registering_a_name_returns_the_pending_domain_with_its_proofs() {
        String name = uniqueDomain("shop");
        var response = register(name)
                .statusCode(201)
                .body("id", matchesPattern("[0-9a-f]{32}"))
                .body("domain_name", equalTo(name))
                .body("status", equalTo("pending"))
                // 43 base64url characters = 256 bits, at least the 128 the contract asks for
                .body("verification_token", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("project_subdomain", matchesPattern("[a-z2-7]{20}"))
                .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .extract();
        var body = response.jsonPath();
        assertThat(response.header("Location")).endsWith("/domains/" + body.getString("id"));
        String token = body.getString("verification_token");
        String sub = body.getString("project_subdomain");
        register(uniqueDomain("other")).statusCode(201); // tokens and labels are per domain
        assertThat(body.getString("instructions"))
                .contains("_acme-challenge." + name + ".")
                .contains(token)
                .contains("_acme-challenge." + sub + ".dns-handling.test.");
    }

    @Test
    void names_are_normalised_before_they_are_stored() {
        String label = "shop-" + System.nanoTime();
        register("  " + label.toUpperCase() + ".Example.COM. ").statusCode(201)
                .body("domain_name", equalTo(label + ".example.com"));
        String idn = "bücher-" + System.nanoTime() + ".example.org";
        register(idn).statusCode(201)
                .body("domain_name", allOf(matchesPattern("xn--bcher-.*-[a-z0-9]+\\.example\\.org"), containsString("xn--")));
    }

    @Test
    void a_pending_name_can_be_registered_again_and_each_claim_gets_its_own_proofs() {
        String name = uniqueDomain("twice");
        var first = register(name).statusCode(201).extract().jsonPath();
        var second = register(name.toUpperCase() + ".").statusCode(201).body("domain_name", equalTo(name)).extract().jsonPath();
        assertThat(second.getString("id")).isNotEqualTo(first.getString("id"));
        assertThat(second.getString("verification_token")).isNotEqualTo(first.getString("verification_token"));
        assertThat(second.getString("project_subdomain")).isNotEqualTo(first.getString("project_subdomain"));
    }

    @Test
    void a_registration_says_when_it_lapses_unverified() {
        var body = register(uniqueDomain("lapse")).statusCode(201).extract().jsonPath();
        Instant created = Instant.parse(body.getString("created_at"));
        assertThat(Instant.parse(body.getString("claim_expires_at"))).isEqualTo(created.plus(Duration.ofDays(7)));
    }

    @Test
    void invalid_names_are_refused_with_the_reason_and_nothing_is_stored() {
        long before = rows.domains();
        register("192.0.2.7").statusCode(400).body("error", containsString("IP address"));
        register("localhost").statusCode(400).body("error", containsString("two labels"));
        register("co.uk").statusCode(400).body("error", containsString("public suffix"));
        register("bad_name.example.com").statusCode(400).body("error", containsString("not allowed"));
        register("").statusCode(400).body("error", containsString("required"));
        assertThat(rows.domains()).isEqualTo(before);
    }

    @Test
    void concurrent_registrations_of_one_pending_name_all_succeed_as_separate_claims() throws Exception {
        String name = uniqueDomain("race");
        List<Integer> statuses = Concurrently.run(8, i -> () -> register(name).extract().statusCode());
        assertThat(statuses).containsOnly(201);
        assertThat(rows.count("SELECT count(DISTINCT project_subdomain) FROM domains WHERE domain_name = ? AND status = 'pending'", name))
                .isEqualTo(8);
    }
}
