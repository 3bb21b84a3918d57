package io.dnshandling.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** GET /domains/{id}/events: a domain's history from the webhook outbox, newest first, paged, kept for EVENT_RETENTION after delivery. */
@QuarkusTest
class EventHistoryTest {

    @Inject
    Rows rows;

    @Inject
    EventHistory history;

    @Test
    void a_domains_events_are_listed_newest_first_with_their_payloads_and_paged() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("history"));
        rows.update("UPDATE domains SET status = 'verified', verified_at = now() WHERE id = ?", d.id());

        // No webhook receiver is configured in tests: the dispatcher marks every event delivered.
        JsonPath all = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/domains/" + d.id() + "/events").then().statusCode(200).extract().jsonPath(),
                        page -> page.getList("events").size() == 2 && page.getList("events.delivered").stream().allMatch(Boolean.TRUE::equals));
        assertThat(all.getList("events.type")).containsExactly("domain.status_changed", "domain.status_changed");
        assertThat(all.getString("events[0].payload.from")).isEqualTo("pending");
        assertThat(all.getString("events[0].payload.to")).isEqualTo("verified");
        assertThat(all.getString("events[1].payload.to")).isEqualTo("pending");
        assertThat(all.getString("events[1].payload.domain_name")).isEqualTo(d.domainName());
        assertThat(all.getString("next_cursor")).isNull();
        assertThat(rows.count("SELECT count(*) FROM webhook_events WHERE domain_id = ? AND done AND done_at IS NOT NULL", d.id())).isEqualTo(2);

        JsonPath first = given().queryParam("limit", 1).get("/domains/" + d.id() + "/events").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("events.id")).containsExactly(all.getString("events[0].id"));
        JsonPath second = given().queryParam("limit", 1).queryParam("cursor", first.getString("next_cursor"))
                .get("/domains/" + d.id() + "/events").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("events.id")).containsExactly(all.getString("events[1].id"));
        assertThat(second.getString("next_cursor")).isNull();
    }

    @Test
    void delivered_events_older_than_the_retention_are_forgotten_and_undelivered_ones_kept() {
        RegisteredDomain d = Api.registered(Api.uniqueDomain("retention"));
        String payload = "{\"domain_id\":\"" + d.id() + "\",\"domain_name\":\"" + d.domainName() + "\"}";
        rows.update("INSERT INTO webhook_events (type, payload, created_at, done) VALUES ('domain.status_changed', ?, now() - interval '100 days', true)",
                payload);
        rows.update("UPDATE webhook_events SET done_at = now() - interval '100 days' WHERE domain_id = ? AND created_at < now() - interval '99 days'",
                d.id());
        rows.update("INSERT INTO webhook_events (type, payload, created_at, next_attempt_at) VALUES ('certificate.renewed', ?, now() - interval '100 days',"
                + " now() + interval '1 day')", payload);
        assertThat(rows.count("SELECT count(*) FROM webhook_events WHERE domain_id = ? AND created_at < now() - interval '99 days'", d.id())).isEqualTo(2);

        history.prune().await().atMost(Duration.ofSeconds(10));

        List<String> kept = new ArrayList<>();
        rows.each("SELECT type FROM webhook_events WHERE domain_id = ? AND created_at < now() - interval '99 days'", d.id(),
                row -> kept.add(row.get(0)));
        assertThat(kept).containsExactly("certificate.renewed");
        assertThat(rows.count("SELECT count(*) FROM webhook_events WHERE domain_id = ? AND created_at > now() - interval '1 day'", d.id()))
                .as("recent events stay").isEqualTo(1);
    }

    @Test
    void unknown_ids_bad_limits_and_foreign_cursors_are_refused() {
        given().get("/domains/0123456789abcdef0123456789abcdef/events").then().statusCode(404).body("error", containsString("not found"));
        RegisteredDomain d = Api.registered(Api.uniqueDomain("history-bad"));
        given().queryParam("limit", 0).get("/domains/" + d.id() + "/events").then().statusCode(400)
                .body("error", equalTo("limit must be between 1 and 200"));
        given().queryParam("limit", "many").get("/domains/" + d.id() + "/events").then().statusCode(400);
        given().queryParam("cursor", "not-a-cursor").get("/domains/" + d.id() + "/events").then().statusCode(400)
                .body("error", equalTo("cursor is not one this service issued"));
    }
}
