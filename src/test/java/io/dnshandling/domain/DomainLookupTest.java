package io.dnshandling.domain;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DomainLookupTest {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @Test
    void a_registered_domain_is_returned_without_its_secrets_or_unset_fields() {
        var d = registered(uniqueDomain("get"));
        get(d.id()).statusCode(200)
                .body("id", equalTo(d.id()))
                .body("domain_name", equalTo(d.domainName()))
                .body("status", equalTo("pending"))
                .body("created_at", matchesPattern(TIMESTAMP))
                .body("updated_at", matchesPattern(TIMESTAMP))
                .body("$", not(hasKey("verified_at")))
                .body("$", not(hasKey("failure_reason")))
                .body("$", not(hasKey("verification_token")));
    }

    @Test
    void an_unknown_id_is_not_found() {
        get("0123456789abcdef0123456789abcdef").statusCode(404).body("error", equalTo("domain not found"));
    }

    @Test
    void something_that_is_not_an_id_is_not_found_either() {
        get("not-an-id").statusCode(404).body("error", equalTo("domain not found"));
        get("0123456789ABCDEF0123456789ABCDEF").statusCode(404).body("error", equalTo("domain not found"));
        get("' OR 1=1 --").statusCode(404);
    }
}
