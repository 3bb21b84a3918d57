package io.dnshandling.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

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
