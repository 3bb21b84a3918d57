package io.dnshandling.verification;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Api.register;
import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.dnshandling.support.Api.verify;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.dnshandling.domain.LapsedClaims;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A registration proves nothing: it must not lock out the owner who proves the name later. */
@QuarkusTest
class PendingClaimsTest {

    private final TestDnsServer dns = TestDnsResource.server();

    @Inject
    Rows rows;

    @Inject
    LapsedClaims lapsed;

    @Test
    void a_squatters_pending_claim_does_not_block_the_owner_who_verifies() {
        String name = uniqueDomain("squat");
        RegisteredDomain squatter = registered(name);
        RegisteredDomain owner = registered(name);
        dns.txt(owner.challengeName(), owner.token());
        verify(owner.id()).statusCode(200).body("status", equalTo("verified"));

        // Even with its own token published, the squatter comes second.
        dns.txt(squatter.challengeName(), squatter.token());
        verify(squatter.id()).statusCode(409).body("error", containsString("verified by another registration"));
        get(squatter.id()).statusCode(200).body("status", equalTo("pending"));
        register(name).statusCode(409).body("error", containsString(name));
        register(name.toUpperCase() + ".").statusCode(409);
    }

    @Test
    void of_claims_verifying_at_once_exactly_one_takes_the_name() throws Exception {
        String name = uniqueDomain("first");
        List<RegisteredDomain> claims = List.of(registered(name), registered(name), registered(name), registered(name));
        dns.txt(claims.get(0).challengeName(), claims.stream().map(RegisteredDomain::token).toArray(String[]::new));
        List<Integer> statuses = Concurrently.run(8, i -> () -> verify(claims.get(i % 4).id()).extract().statusCode());
        assertThat(statuses).containsOnly(200, 409);
        assertThat(rows.count("SELECT count(*) FROM domains WHERE domain_name = ? AND status = 'verified'", name)).isEqualTo(1);
        assertThat(rows.count("SELECT count(*) FROM domains WHERE domain_name = ? AND status = 'pending'", name)).isEqualTo(3);
    }

    @Test
    void deleting_the_verified_domain_lets_another_claim_verify() {
        String name = uniqueDomain("freed");
        RegisteredDomain first = registered(name);
        RegisteredDomain second = registered(name);
        dns.txt(first.challengeName(), first.token(), second.token());
        verify(first.id()).statusCode(200);
        verify(second.id()).statusCode(409);
        given().delete("/domains/" + first.id()).then().statusCode(204);
        verify(second.id()).statusCode(200).body("status", equalTo("verified"));
    }

    @Test
    void a_lapsed_claim_cannot_be_verified_and_the_sweep_deletes_it_and_retires_its_label() {
        RegisteredDomain old = registered(uniqueDomain("lapsed"));
        RegisteredDomain fresh = registered(uniqueDomain("fresh"));
        get(old.id()).statusCode(200).body("claim_expires_at", equalTo(rows.string(
                "SELECT to_char(claim_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM domains WHERE id = ?", old.id())));
        rows.update("UPDATE domains SET claim_expires_at = now() - interval '1 second' WHERE id = ?", old.id());
        dns.txt(old.challengeName(), old.token());
        verify(old.id()).statusCode(409).body("error", containsString("lapsed"));

        int deleted = lapsed.sweep().await().atMost(Duration.ofSeconds(30));
        assertThat(deleted).isGreaterThanOrEqualTo(1);
        get(old.id()).statusCode(404);
        get(fresh.id()).statusCode(200).body("status", equalTo("pending"));
        assertThat(rows.count("SELECT count(*) FROM retired_labels WHERE label = ?", old.projectSubdomain())).isEqualTo(1);
        register(old.domainName()).statusCode(201);
    }

    @Test
    void a_verified_domain_shows_no_claim_expiry() {
        RegisteredDomain d = registered(uniqueDomain("shown"));
        get(d.id()).statusCode(200).body("claim_expires_at", notNullValue());
        dns.txt(d.challengeName(), d.token());
        verify(d.id()).statusCode(200).body("$", not(hasKey("claim_expires_at")));
    }
}
