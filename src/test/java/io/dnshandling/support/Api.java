package io.dnshandling.support;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * Every id {@code GET /domains} gives for {@code filters}, following next_cursor across all its
     * pages; each page's certificate states are checked against the filter's.
     */
    public static List<String> listedDomains(Map<String, String> filters) {
        return listedDomains(filters, 200);
    }

    /** {@link #listedDomains(Map)}, {@code limit} at a time. */
    public static List<String> listedDomains(Map<String, String> filters, int limit) {
        return listedDomains(filters, limit, Integer.MAX_VALUE);
    }

    /** The ids on the first {@code pages} pages of {@code limit}, each checked as {@link #listedDomains(Map)} does. */
    public static List<String> listedDomains(Map<String, String> filters, int limit, int pages) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int read = 0; read < pages && (read == 0 || cursor != null); read++) {
            var request = given().queryParams(filters).queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            ListPage page = ListPage.of(request.get("/domains").then().statusCode(200), "domains");
            ids.addAll(page.strings("id"));
            String state = filters.get("certificate_state");
            if (state != null) {
                assertThat(page.strings("certificate_state")).allMatch(state::equals);
            }
            String next = page.nextCursor();
            // A list that hands back a position it already gave would page forever: fail instead.
            if (next != null) {
                assertThat(next).as("next_cursor after page %d of %s", read + 1, filters).isNotEqualTo(cursor);
            }
            cursor = next;
        }
        return ids;
    }

    public record RegisteredDomain(String id, String domainName, String token, String projectSubdomain) {
        public String challengeName() {
            return "_acme-challenge." + domainName + ".";
        }
    }
}
