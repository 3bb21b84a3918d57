package io.dnshandling.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.PebbleProfile;
import io.dnshandling.support.Rows;
import io.dnshandling.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A domain's events reach the receiver in the order they happened, however their deliveries fail
 * and are retried; other domains' events are not held up by it. The events are written straight
 * into the outbox (as the database's triggers write them), each pair in one statement so that one
 * dispatcher pass can claim them together.
 */
@QuarkusTest
@TestProfile(PebbleProfile.class)
class WebhookOrderTest {

    @Inject
    Rows rows;

    private final WebhookReceiver receiver = AcmeTestBedResource.webhooks();

    @Test
    void a_later_event_waits_while_an_earlier_one_of_its_domain_is_refused_in_the_same_pass() {
        String domain = newId();
        receiver.refuseOnce("first-" + domain);
        rows.update("INSERT INTO webhook_events (type, payload) VALUES ('domain.status_changed', ?), ('domain.status_changed', ?)",
                payload(domain, "first-" + domain, "pending"), payload(domain, "second-" + domain, "verified"));

        List<WebhookReceiver.Received> events = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.about(domain), received -> received.size() == 2);
        assertThat(events.stream().map(e -> JsonPath.from(e.body()).getString("to"))).containsExactly("pending", "verified");
        assertThat(rows.count("SELECT count(*) FROM webhook_events WHERE domain_id = ? AND done", domain)).isEqualTo(2);
        assertThat(rows.count("SELECT attempts FROM webhook_events WHERE domain_id = ? AND payload LIKE '%second-%'", domain))
                .as("the later event was handed back untried, not counted as a failed attempt").isEqualTo(1);
    }

    @Test
    void a_later_event_waits_for_an_earlier_one_in_backoff_while_other_domains_flow() {
        String held = newId();
        String other = newId();
        rows.update("""
                INSERT INTO webhook_events (type, payload, next_attempt_at)
                VALUES ('domain.status_changed', ?, now() + interval '3 seconds'),
                       ('domain.status_changed', ?, now()),
                       ('domain.status_changed', ?, now())""",
                payload(held, "first-" + held, "pending"), payload(held, "second-" + held, "verified"), payload(other, "other-" + other, "pending"));

        // The other domain's event is newer than both: had the later event not been held, it would have gone first.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !receiver.about(other).isEmpty());
        assertThat(receiver.about(held)).as("nothing of the held domain before its earliest event's retry").isEmpty();

        List<WebhookReceiver.Received> events = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.about(held), received -> received.size() == 2);
        assertThat(events.stream().map(e -> JsonPath.from(e.body()).getString("to"))).containsExactly("pending", "verified");
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String payload(String domainId, String name, String to) {
        return "{\"domain_id\":\"" + domainId + "\",\"domain_name\":\"" + name + ".example.com\",\"from\":null,\"to\":\"" + to + "\"}";
    }
}
