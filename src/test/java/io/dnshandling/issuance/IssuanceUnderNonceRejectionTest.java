package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pebble rejects 30% of good nonces (badNonce), as real CAs occasionally do: issuance still completes. */
@QuarkusTest
@TestProfile(IssuanceUnderNonceRejectionTest.RejectingNonces.class)
class IssuanceUnderNonceRejectionTest {

    public static class RejectingNonces implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class, Map.of("nonceReject", "30")));
        }
    }

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
