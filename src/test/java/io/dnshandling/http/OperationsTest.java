package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.dnshandling.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Test
    void liveness_is_up() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readiness_checks_the_database_and_the_dns_server_without_details() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'PostgreSQL' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'DNS server' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'DNS server' }.data", nullValue());
    }

    @Test
    void health_metrics_and_the_api_description_are_not_on_the_api_port() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui")) {
            given().get(path).then().statusCode(404).body("error", notNullValue());
        }
    }

    @Test
    void metrics_are_in_prometheus_format() {
        given().get("/domains/0123456789abcdef0123456789abcdef").then().statusCode(404);
        Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE http_server_requests_seconds"))
                .body(containsString("uri=\"/domains/{id}\""));
    }

    @Test
    void the_database_clients_meters_are_those_its_connections_share() throws Exception {
        // Requests at once, so that the pool has opened more than one connection.
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                requests.add(clients.submit(() -> given().get("/domains?limit=1").then().statusCode(200)));
            }
            for (Future<?> r : requests) {
                r.get(30, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        String metrics = Management.metrics();
        assertThat(metrics).contains("postgresql_processing_seconds_count{", "postgresql_queue_delay_seconds_count{", "postgresql_completed_total{");
        // Registered once per connection, so only ever the first connection's: left out.
        assertThat(metrics).doesNotContain("postgresql_queue_size", "postgresql_current");
    }

    @Test
    void the_openapi_document_describes_every_endpoint_and_status() {
        JsonPath doc = Management.given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Set<String>> expected = Map.ofEntries(
                Map.entry("paths.'/domains'.post.responses", Set.of("201", "400", "401", "403", "409", "413", "415")),
                Map.entry("paths.'/domains/{id}'.get.responses", Set.of("200", "401", "403", "404")),
                Map.entry("paths.'/domains/{id}/verify'.post.responses", Set.of("200", "400", "401", "403", "404", "409", "424")),
                Map.entry("paths.'/dns/records'.get.responses", Set.of("200", "401", "403")),
                Map.entry("paths.'/dns/records'.post.responses", Set.of("201", "400", "401", "403", "409", "413", "415")),
                Map.entry("paths.'/dns/records'.delete.responses", Set.of("200", "400", "401", "403", "404", "415")),
                Map.entry("paths.'/dns/resolve'.get.responses", Set.of("200", "400", "401", "403", "424")),
                Map.entry("paths.'/domains/{id}/issue-certificate'.post.responses", Set.of("202", "400", "401", "403", "404", "409", "429", "502")),
                Map.entry("paths.'/domains/{id}/certificate'.get.responses", Set.of("200", "401", "403", "404")),
                Map.entry("paths.'/domains'.get.responses", Set.of("200", "400", "401", "403")),
                Map.entry("paths.'/domains/{id}'.delete.responses", Set.of("204", "401", "403", "404", "502")),
                Map.entry("paths.'/domains/{id}/certificate/chain'.get.responses", Set.of("200", "401", "403", "404")),
                Map.entry("paths.'/domains/{id}/certificate/revoke'.post.responses", Set.of("200", "400", "401", "403", "404", "413", "415", "502")),
                Map.entry("paths.'/tls/certificate'.get.responses", Set.of("200", "204", "401", "403", "404")),
                Map.entry("paths.'/tls/{token}/certificate'.get.responses", Set.of("200", "204", "401", "403", "404")));
        expected.forEach((path, statuses) -> {
            Map<String, Object> responses = doc.getMap(path);
            assertThat(responses).as(path).isNotNull();
            assertThat(responses.keySet()).as(path).containsAll(statuses);
        });
        assertThat(doc.getString("components.schemas.Error.properties.error.type")).isEqualTo("string");
    }
}
