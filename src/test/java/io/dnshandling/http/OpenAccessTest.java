package io.dnshandling.http;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without AUTH_TOKEN (the default test profile) the API takes requests with no Authorization. */
@QuarkusTest
class OpenAccessTest {

    @Test
    void requests_need_no_token_when_none_is_configured() {
        given().get("/domains/0123456789abcdef0123456789abcdef").then().statusCode(404);
        given().header("Authorization", "Bearer anything").get("/domains/0123456789abcdef0123456789abcdef").then().statusCode(404);
    }
}
