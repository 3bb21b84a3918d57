package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.DemandingCaProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pebble rejects 30% of good nonces (badNonce, {@link DemandingCaProfile}), as real CAs occasionally do: issuance still completes. */
@QuarkusTest
@TestProfile(DemandingCaProfile.class)
class IssuanceUnderNonceRejectionTest {

    @Test
    void every_domain_becomes_active_despite_rejected_nonces() {
        List<RegisteredDomain> domains = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RegisteredDomain d = delegatedDomain("nonce" + i);
            // The account is created by the first of these, under the same rejection rate.
            issue(d.id()).statusCode(202);
            domains.add(d);
        }
        for (RegisteredDomain d : domains) {
            awaitStatus(d.id(), "active", Duration.ofSeconds(60));
            given().get("/domains/" + d.id() + "/certificate").then().statusCode(200);
        }
    }
}
