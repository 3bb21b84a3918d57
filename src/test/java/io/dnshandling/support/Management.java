package io.dnshandling.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * The management port (health, metrics, OpenAPI) of the service under test: one free port for the
 * whole run, chosen before the service starts, so tests address it the way a kubelet would.
 */
@io.quarkus.test.common.QuarkusTestResource(Management.class)
public class Management implements QuarkusTestResourceLifecycleManager {

    private static int port;

    public static synchronized int port() {
        if (port == 0) {
            port = FreePorts.udpAndTcp();
        }
        return port;
    }

    /** A request to the management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    /** The service's metrics in Prometheus' text format. */
    public static String metrics() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.management.test-port", String.valueOf(port()));
    }

    @Override
    public void stop() {
        // the port is released with the service
    }
}
