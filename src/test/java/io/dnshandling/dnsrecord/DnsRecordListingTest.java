package io.dnshandling.dnsrecord;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /dns/records a page at a time, as a client follows next_cursor. */
@QuarkusTest
class DnsRecordListingTest {

    static final String ZONE = "dns-handling.test";

    private static String label(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/dns/records").then();
    }

    /** Every stored record's name, following next_cursor from the first page to the last; each id seen once. */
    private static List<String> allRecordNames() {
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().queryParam("limit", 7).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/dns/records").then().statusCode(200).extract().jsonPath();
            List<String> onPage = page.getList("records.name");
            assertThat(onPage).hasSizeLessThanOrEqualTo(7);
            names.addAll(onPage);
            ids.addAll(page.getList("records.id"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertThat(ids).as("record ids across pages").doesNotHaveDuplicates().hasSameSizeAs(names);
        return names;
    }

    @Test
    void the_list_is_paged_in_name_order_with_every_record_once_and_refuses_a_bad_limit_or_cursor() {
        String l = label("paged");
        for (String sub : List.of("c", "a", "b")) {
            post("{\"name\":\"" + sub + "." + l + "\",\"type\":\"TXT\",\"value\":\"v\"}").statusCode(201);
        }
        List<String> names = allRecordNames();
        assertThat(names).containsSubsequence("a." + l + "." + ZONE, "b." + l + "." + ZONE, "c." + l + "." + ZONE);
        given().get("/dns/records?limit=0").then().statusCode(400).body("error", containsString("limit must be between 1 and 500"));
        given().get("/dns/records?limit=x").then().statusCode(400).body("error", containsString("whole number"));
        given().get("/dns/records?cursor=bm90LW91cnM").then().statusCode(400).body("error", equalTo("cursor is not one this service issued"));
    }
}
