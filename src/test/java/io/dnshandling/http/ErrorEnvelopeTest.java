package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every client mistake gets its 4xx with {"error": "…"}, and no row is written. */
@QuarkusTest
class ErrorEnvelopeTest {

    @Inject
    Rows rows;

    private long domainsBefore;

    @BeforeEach
    void countRows() {
        domainsBefore = rows.domains();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(rows.domains()).as("rows in domains").isEqualTo(domainsBefore);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            '{"domain_name": '                 | not valid JSON
            'not json at all'                  | not valid JSON
            '{"domain_name": "a.example.com"'  | not valid JSON
            '{"domain_name": 42}'              | field 'domain_name' must be a string
            '{"domain_name": true}'            | field 'domain_name' must be a string
            '{"domain_name": ["a.example.com"]}' | field 'domain_name' must be a string
            '{"domain_name": {"x": 1}}'        | field 'domain_name' must be a string
            '{"domain_name": null}'            | domain_name is required
            '{}'                               | domain_name is required
            '{"name": "a.example.com"}'        | domain_name is required
            '[]'                               | must be a JSON object
            '"a.example.com"'                  | must be a JSON object
            '42'                               | must be a JSON object
            'null'                             | must be a JSON object
            '{"domain_name": "a.example.com", "domain_name": 5}' | gives a field twice: 'domain_name'
            '{"domain_name": "a.example.com", "domain_name": "b.example.com"}' | gives a field twice
            """)
    void malformed_bodies_are_bad_requests(String body, String reason) {
        post(body).statusCode(400).contentType(ContentType.JSON).body("error", containsString(reason));
    }

    @Test
    void a_missing_body_is_a_bad_request() {
        given().contentType(ContentType.JSON).post("/domains").then()
                .statusCode(400).contentType(ContentType.JSON).body("error", containsString("request body"));
    }

    @Test
    void unknown_fields_are_ignored() {
        String name = io.dnshandling.support.Api.uniqueDomain("extra");
        post("{\"domain_name\": \"" + name + "\", \"colour\": \"blue\"}").statusCode(201);
        domainsBefore++; // this one is meant to be stored
    }

    @Test
    void a_body_over_the_limit_is_too_large() {
        String big = "{\"domain_name\": \"" + "a".repeat(70 * 1024) + ".example.com\"}";
        post(big).statusCode(413).contentType(ContentType.JSON).body("error", equalTo("request body too large"));
    }

    @Test
    void a_chunked_body_over_the_limit_is_too_large_as_well() {
        byte[] big = ("{\"domain_name\": \"" + "a".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        // A stream of unknown length goes out chunked, without Content-Length.
        given().contentType(ContentType.JSON).body(new ByteArrayInputStream(big)).post("/domains").then()
                .statusCode(413).contentType(ContentType.JSON).body("error", equalTo("request body too large"));
    }

    @Test
    void a_body_that_is_not_json_by_content_type_is_unsupported() {
        given().contentType(ContentType.TEXT).body("{\"domain_name\": \"a.example.com\"}").post("/domains").then()
                .statusCode(415).contentType(ContentType.JSON).body("error", not(emptyOrNullString()));
    }

    @Test
    void an_unknown_route_is_not_found() {
        given().get("/no/such/route").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("not found"));
        given().get("/domains/0123456789abcdef0123456789abcdef/nothing").then()
                .statusCode(404).contentType(ContentType.JSON).body("error", equalTo("not found"));
    }

    @Test
    void a_wrong_method_is_not_allowed() {
        given().delete("/domains").then().statusCode(405).contentType(ContentType.JSON)
                .body("error", equalTo("DELETE is not a method of /domains; it has GET, HEAD, POST, OPTIONS"));
        given().put("/domains/0123456789abcdef0123456789abcdef").then().statusCode(405).contentType(ContentType.JSON);
        given().get("/domains/0123456789abcdef0123456789abcdef/verify").then().statusCode(405).contentType(ContentType.JSON);
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/domains").then();
    }
}
