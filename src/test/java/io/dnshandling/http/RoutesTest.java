package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every route answers every method it does not have with 405 and the route's own {@code Allow}
 * (RFC 9110 section 15.5.6), and OPTIONS with 204 and the same header; the table the request
 * filter reads is the OpenAPI document's, route for route and method for method.
 */
@QuarkusTest
class RoutesTest {

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    @Test
    void the_route_table_names_exactly_the_operations_of_the_openapi_document() {
        JsonPath doc = Management.given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        Map<String, Set<String>> documented = new TreeMap<>();
        paths.forEach((path, operations) -> documented.put(path, operations.keySet().stream()
                .map(m -> m.toUpperCase(java.util.Locale.ROOT)).filter(METHODS::contains).collect(Collectors.toCollection(TreeSet::new))));
        Map<String, Set<String>> table = new TreeMap<>();
        Routes.all().forEach(r -> table.put(r.template(), new TreeSet<>(r.methods())));

        assertThat(table).isEqualTo(documented);
    }

    @Test
    void a_method_a_route_does_not_have_is_405_with_its_allow_and_options_is_204_with_the_same() {
        for (Routes.Route route : Routes.all()) {
            if (route.template().startsWith("/tls/")) {
                continue; // without a delivery token these routes do not exist (404); DeliveryEndpointTest covers them
            }
            String path = route.template().replace("{id}", RandomIds.id()).replace("{name}", "www.example.com");
            for (String method : METHODS) {
                Response r = given().body(method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? "{}" : "")
                        .contentType("application/json").request(method, path);
                String what = method + " " + path + " (" + route.template() + ")";
                if (method.equals("OPTIONS")) {
                    assertThat(r.statusCode()).as(what).isEqualTo(204);
                    assertThat(r.header("Allow")).as(what).isEqualTo(route.allow());
                } else if (route.allows(method)) {
                    assertThat(r.statusCode()).as(what).isNotIn(405, 500);
                } else {
                    assertThat(r.statusCode()).as(what).isEqualTo(405);
                    assertThat(r.header("Allow")).as(what).isEqualTo(route.allow());
                    if (!method.equals("HEAD")) {
                        assertThat(r.jsonPath().getString("error")).as(what)
                                .isEqualTo(method + " is not a method of " + route.template() + "; it has " + route.allow());
                    }
                }
            }
        }
    }

    @Test
    void allow_lists_head_beside_get_and_options_last() {
        assertThat(Routes.routeOf("/domains").orElseThrow().allow()).isEqualTo("GET, HEAD, POST, OPTIONS");
        assertThat(Routes.routeOf("/domains/abc/issue-certificate").orElseThrow().allow()).isEqualTo("POST, OPTIONS");
        assertThat(Routes.routeOf("/dns/records").orElseThrow().allow()).isEqualTo("GET, HEAD, POST, DELETE, OPTIONS");
        assertThat(Routes.routeOf("/domains/abc/unknown")).isEmpty();
    }
}
