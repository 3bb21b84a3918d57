package io.dnshandling.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** Short ways to call the API from tests, and fresh names no other test uses. */
public final class Api {

    private Api() {
    }

    /** A name unique to this call, under a real public suffix so it is registrable. */
    public static String uniqueDomain(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + ".example.com";
    }

    public static ValidatableResponse register(String name) {
        return given().contentType(ContentType.JSON).body("{\"domain_name\": \"" + name + "\"}")
                .when().post("/domains").then();
    }

    public static RegisteredDomain registered(String name) {
        var body = register(name).statusCode(201).extract().jsonPath();
        return new RegisteredDomain(body.getString("id"), body.getString("domain_name"),
                body.getString("verification_token"), body.getString("project_subdomain"));
    }

    public static ValidatableResponse verify(String id) {
        return given().when().post("/domains/" + id + "/verify").then();
    }

    public static ValidatableResponse get(String id) {
        return given().when().get("/domains/" + id).then();
    }

    public record RegisteredDomain(String id, String domainName, String token, String projectSubdomain) {
        public String challengeName() {
            return "_acme-challenge." + domainName + ".";
        }
    }
}
