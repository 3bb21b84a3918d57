package io.dnshandling.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.awaitility.Awaitility;

/** rest-assured against one packaged replica. */
public final class ServiceClient {

    private final String baseUrl;
    private final String managementUrl;

    public ServiceClient(ServiceProcess service) {
        this.baseUrl = service.baseUrl();
        this.managementUrl = service.managementUrl();
    }

    public RequestSpecification request() {
        return RestAssured.given().baseUri(baseUrl).contentType(ContentType.JSON);
    }

    /** The replica's metrics, from its management port. */
    public String metrics() {
        return RestAssured.given().baseUri(managementUrl).accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    public Api.RegisteredDomain register(String name) {
        var body = request().body("{\"domain_name\": \"" + name + "\"}").post("/domains").then().statusCode(201).extract().jsonPath();
        return new Api.RegisteredDomain(body.getString("id"), body.getString("domain_name"),
                body.getString("verification_token"), body.getString("project_subdomain"));
    }

    /**
     * Verifies a domain whose challenge name is delegated to the service. The token reaches every
     * replica's DNS server through a database notification, milliseconds after registration: as a
     * customer would, this verifies again until it is there (at most 5 s).
     */
    public void verifyDelegated(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> verify(id).extract().statusCode() == 200);
    }

    public ValidatableResponse verify(String id) {
        return request().post("/domains/" + id + "/verify").then().log().ifValidationFails();
    }

    public ValidatableResponse issue(String id) {
        return request().post("/domains/" + id + "/issue-certificate").then();
    }

    public String status(String id) {
        return request().get("/domains/" + id).then().statusCode(200).extract().path("status");
    }
}
