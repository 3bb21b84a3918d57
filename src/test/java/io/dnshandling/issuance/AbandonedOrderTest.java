package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.issue;
import static io.dnshandling.support.Issuance.verifiedDomain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.acme.CertificateAuthority;
import io.dnshandling.acme.Issuers;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Status;

/**
 * An order in progress at the CA (Pebble) whose dns-01 value is never published: deleting its
 * domain deactivates the pending authorization, and triggering its challenge a second time is
 * no error.
 */
@QuarkusTest
@TestProfile(IssuanceEndToEndTest.WithPebble.class)
class AbandonedOrderTest {

    @Inject
    Rows rows;

    @Inject
    Issuers issuers;

    @Test
    void deleting_a_domain_deactivates_its_pending_authorization_at_the_ca() {
        // Verified by TXT; the order's dns-01 value is never published, so its authorization stays pending.
        RegisteredDomain d = verifiedDomain("abandoned");
        issue(d.id()).statusCode(202);
        String authorization = challengeOf(d.id(), "authorization_url");
        assertThat(status(authorization)).isEqualTo(Status.PENDING);

        given().delete("/domains/" + d.id()).then().statusCode(204);

        assertThat(status(authorization)).isEqualTo(Status.DEACTIVATED);
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE domain_id = ?", d.id())).isZero();
    }

    @Test
    void triggering_a_challenge_no_longer_pending_leaves_it_alone() {
        RegisteredDomain d = verifiedDomain("retriggered");
        issue(d.id()).statusCode(202);
        String challenge = challengeOf(d.id(), "challenge_url");
        String authorization = challengeOf(d.id(), "authorization_url");
        CertificateAuthority ca = issuers.ordered().get(0);

        // The first trigger starts validation; the value is not published, so it fails.
        ca.trigger(List.of(challenge)).await().atMost(Duration.ofSeconds(20));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> status(authorization) == Status.INVALID);
        // Pebble refuses to trigger a challenge past pending; the call reads it and leaves it alone.
        ca.trigger(List.of(challenge)).await().atMost(Duration.ofSeconds(20));

        assertThat(status(authorization)).isEqualTo(Status.INVALID);
    }

    /** A column of the one challenge of the domain's order. */
    private String challengeOf(String domainId, String column) {
        return rows.string("SELECT c." + column + " FROM acme_challenges c JOIN acme_orders o ON o.id = c.order_id WHERE o.domain_id = ?",
                domainId);
    }

    private Status status(String authorizationUrl) {
        return issuers.ordered().get(0).authorizations(List.of(authorizationUrl)).await().atMost(Duration.ofSeconds(20)).get(0).status();
    }
}
