package io.dnshandling.delivery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without DELIVERY_TOKEN and targets (the default), nothing of delivery shows. */
@QuarkusTest
class DeliveryDisabledTest {

    @Test
    void without_a_delivery_token_the_endpoint_does_not_exist() {
        given().get("/tls/certificate?server_name=shop.example.com").then().statusCode(404).body("error", equalTo("not found"));
        given().get("/tls/anything/certificate?server_name=shop.example.com").then().statusCode(404).body("error", equalTo("not found"));
        given().header("Authorization", "Bearer anything").get("/tls/certificate").then().statusCode(404);
    }

    @Test
    void without_targets_a_domain_reports_no_deployments() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("nodelivery"));
        Api.get(d.id()).statusCode(200).body("deployments", nullValue());
    }
}
