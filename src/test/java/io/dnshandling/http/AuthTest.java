package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Management;
import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Api;
import io.dnshandling.support.ScopedTokensProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** With AUTH_TOKEN set: the API needs the bearer token, operations endpoints do not. */
@QuarkusTest
@TestProfile(ScopedTokensProfile.class)
class AuthTest {

    static final String TOKEN = ScopedTokensProfile.PLAIN;

    @Test
    void a_request_without_a_token_is_unauthorized() {
        given().get("/domains/0123456789abcdef0123456789abcdef").then()
                .statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("missing or invalid bearer token"));
        given().contentType(ContentType.JSON).body("{\"domain_name\": \"a.example.com\"}").post("/domains").then()
                .statusCode(401);
        given().get("/dns/records").then().statusCode(401);
    }

    @Test
    void a_wrong_token_or_scheme_is_unauthorized() {
        for (String header : new String[] {"Bearer wrong", "Bearer " + TOKEN + "x", "Bearer", "Basic " + TOKEN, TOKEN, "Bearer  "}) {
            given().header("Authorization", header).get("/domains/0123456789abcdef0123456789abcdef").then()
                    .statusCode(401).body("error", equalTo("missing or invalid bearer token"));
        }
    }

    @Test
    void the_right_token_is_accepted_whatever_the_scheme_case() {
        String name = Api.uniqueDomain("auth");
        String id = given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"domain_name\": \"" + name + "\"}").post("/domains").then().statusCode(201)
                .extract().path("id");
        given().header("Authorization", "bearer " + TOKEN).get("/domains/" + id).then().statusCode(200);
        given().header("Authorization", "BEARER " + TOKEN).get("/domains/" + id).then().statusCode(200);
    }

    @Test
    void probes_metrics_and_the_api_description_need_no_token_on_the_management_port() {
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200);
        Management.given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void a_401_carries_a_request_id_too() {
        given().get("/domains/0123456789abcdef0123456789abcdef").then().statusCode(401)
                .header("X-Request-Id", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void requests_without_a_token_cannot_grow_the_metrics_one_label_per_id() {
        // A label per id would leave 200, or as many as the registry caps uri labels at (100 in Quarkus).
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = RandomIds.id();
            ids.add(id);
            given().get("/domains/" + id).then().statusCode(401);
        }
        for (int i = 0; i < 40; i++) {
            given().get("/nothing-here/" + RandomIds.id()).then().statusCode(401);
            given().header("Authorization", "Bearer " + TOKEN).put("/domains/" + RandomIds.id()).then().statusCode(405);
            given().header("Authorization", "Bearer " + TOKEN).get("/nothing-here/" + RandomIds.id()).then().statusCode(404);
        }
        String metrics = Management.metrics();
        Set<String> uris = new TreeSet<>();
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"").matcher(metrics);
        while (m.find()) {
            uris.add(m.group(1));
        }
        assertThat(uris).contains("/domains/{id}").hasSizeLessThan(20);
        assertThat(uris).noneMatch(uri -> uri.matches(".*[0-9a-f]{32}.*"));
    }
}
