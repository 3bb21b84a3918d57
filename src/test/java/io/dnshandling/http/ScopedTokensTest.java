package io.dnshandling.http;

import static io.dnshandling.support.ScopedTokensProfile.DNS;
import static io.dnshandling.support.ScopedTokensProfile.READER;
import static io.dnshandling.support.ScopedTokensProfile.WRITER;
import static io.dnshandling.support.ScopedTokensProfile.digest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.auth.ApiTokens;
import io.dnshandling.support.Api;
import io.dnshandling.support.LogCapture;
import io.dnshandling.support.ScopedTokensProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Tokens configured by digest with scopes (AUTH_TOKENS): each route needs one scope; a known
 * token without it gets 403; the access log names the token, never its value.
 */
@QuarkusTest
@TestProfile(ScopedTokensProfile.class)
class ScopedTokensTest {

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void each_token_does_what_its_scopes_allow_and_gets_403_for_the_rest() {
        String name = Api.uniqueDomain("scoped");
        String body = "{\"domain_name\": \"" + name + "\"}";
        String record = "{\"name\": \"" + name.replace('.', '-') + "\", \"type\": \"TXT\", \"value\": \"v\"}";
        as(READER).contentType(ContentType.JSON).body(body).post("/domains").then().statusCode(403)
                .body("error", equalTo("token 'reader' does not have the scope domains:write"));
        String id = as(WRITER).contentType(ContentType.JSON).body(body).post("/domains").then().statusCode(201).extract().path("id");
        as(READER).get("/domains/" + id).then().statusCode(200);
        as(READER).get("/dns/records").then().statusCode(200);
        as(DNS).get("/domains/" + id).then().statusCode(403);
        as(WRITER).contentType(ContentType.JSON).body(record).post("/dns/records")
                .then().statusCode(403).body("error", equalTo("token 'writer' does not have the scope dns:write"));
        as(DNS).contentType(ContentType.JSON).body(record).post("/dns/records")
                .then().statusCode(201);
        as(READER).delete("/domains/" + id).then().statusCode(403);
        as(WRITER).delete("/domains/" + id).then().statusCode(204);
        given().get("/domains/" + id).then().statusCode(401);
        as("unknown-token").get("/domains/" + id).then().statusCode(401);
        // No token here may fetch keys: /tls does not exist.
        as(WRITER).get("/tls/certificate?server_name=" + name).then().statusCode(404);
    }

    @Test
    void the_access_log_names_the_token_and_never_shows_its_value() {
        try (LogCapture logs = LogCapture.start(r -> "io.dnshandling.access".equals(r.getLoggerName()))) {
            as(READER).get("/domains?limit=1").then().statusCode(200);
            as(READER).contentType(ContentType.JSON).body("{}").post("/domains").then().statusCode(403);
            assertThat(logs.records()).extracting(r -> r.getFormattedMessage())
                    .anySatisfy(line -> assertThat(line).startsWith("GET /domains -> 200").endsWith("token=reader"))
                    .anySatisfy(line -> assertThat(line).startsWith("POST /domains -> 403").endsWith("token=reader"))
                    .noneSatisfy(line -> assertThat(line).contains(READER));
        }
    }

    @Test
    void a_malformed_token_list_stops_the_start_with_the_entry_at_fault() {
        assertThatThrownBy(() -> ApiTokens.parse("ops domains:read")).hasMessageContaining("'ops domains:read'");
        assertThatThrownBy(() -> ApiTokens.parse("ops sha256:abcd domains:read")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> ApiTokens.parse("ops " + digest("x") + " domains:admin")).hasMessageContaining("unknown scope 'domains:admin'");
        assertThatThrownBy(() -> ApiTokens.parse("a " + digest("x") + " domains:read; a " + digest("y") + " domains:read"))
                .hasMessageContaining("used twice");
        assertThat(ApiTokens.parse(" ; ")).isEmpty();
    }
}
