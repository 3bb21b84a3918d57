package io.dnshandling.fleet;

import static io.dnshandling.support.StoredCertificates.activeDomain;
import static io.dnshandling.support.StoredCertificates.certificate;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GET /fleet: its counts agree with a count of the tables, and its attention list names each kind
 * of trouble, most urgent first, while healthy domains stay off it.
 */
@QuarkusTest
class FleetTest {

    @Inject
    Rows rows;

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'fleet-%.example.com'");
    }

    private String domain(String label) {
        return activeDomain(rows, "fleet-" + label + "-" + RandomIds.label(8) + ".example.com");
    }

    private static JsonPath fleet() {
        return given().get("/fleet").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void the_counts_by_status_and_the_expiry_weeks_agree_with_the_tables() {
        for (int i = 0; i < 3; i++) {
            certificate(rows, domain("week" + i), "now() - interval '60 days'", "now() + interval '" + (10 + 9 * i) + " days'");
        }
        JsonPath fleet = fleet();
        Map<String, Long> counted = new HashMap<>();
        rows.each("SELECT status, count(*) FROM domains WHERE status <> ? GROUP BY status", "", r -> counted.put(r.get(0), Long.parseLong(r.get(1))));
        for (String status : List.of("pending", "verified", "certificate_pending", "active", "failed")) {
            assertThat(fleet.getLong("by_status." + status)).as(status).isEqualTo(counted.getOrDefault(status, 0L));
        }
        assertThat(fleet.getLong("domains")).isEqualTo(rows.domains());

        List<Map<String, Object>> weeks = fleet.getList("expiry_weeks");
        assertThat(weeks).hasSize(FleetSummary.WEEKS);
        List<Long> scanned = new ArrayList<>();
        for (Map<String, Object> week : weeks) {
            // By definition: each active domain's latest certificate, unless revoked, from the current hour on.
            scanned.add(rows.count("""
                    SELECT count(*) FROM (SELECT DISTINCT ON (c.domain_id) c.not_after, c.revoked_at
                                            FROM certificates c JOIN domains d ON d.id = c.domain_id AND d.status = 'active'
                                           ORDER BY c.domain_id, c.issued_at DESC, c.id DESC) cur
                     WHERE revoked_at IS NULL AND not_after >= date_trunc('hour', now(), 'UTC')
                       AND not_after >= ?::date AND not_after < ?::date + 7""", week.get("start"), week.get("start")));
        }
        assertThat(weeks.stream().map(w -> ((Number) w.get("certificates")).longValue()).toList()).isEqualTo(scanned);
        assertThat(scanned.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void the_attention_list_names_each_kind_of_trouble_most_urgent_first() {
        String expired = domain("expired");
        certificate(rows, expired, "now() - interval '91 days'", "now() - interval '2 hours'");
        String revoked = domain("revoked");
        rows.update("UPDATE certificates SET revoked_at = now() WHERE id = ?", certificate(rows, revoked, "now() - interval '1 day'",
                "now() + interval '89 days'"));
        String expiring = domain("expiring");
        certificate(rows, expiring, "now() - interval '87 days'", "now() + interval '3 days'");
        String failing = domain("failing");
        rows.update("""
                UPDATE certificates SET renewal_error = 'CAA forbids the CA', renewal_attempts = 4, renewal_failing_since = now() - interval '2 days',
                       renew_at = now() + interval '1 hour' WHERE id = ?""",
                certificate(rows, failing, "now() - interval '70 days'", "now() + interval '20 days'"));
        String stuck = domain("stuck");
        certificate(rows, stuck, "now() - interval '10 days'", "now() + interval '80 days'");
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, last_error, txt_deadline,
                                         deadline, created_at, updated_at, purpose)
                VALUES (?, ?, 'test', 'test', 'validating', now() + interval '1 day', 3, 'the CA did not answer', now() + interval '1 day',
                        now() + interval '1 day', now() - interval '3 hours', now(), 'reissue')""", RandomIds.id(), stuck);
        String failed = domain("failed");
        rows.update("UPDATE domains SET status = 'failed', failure_reason = 'urn:ietf:params:acme:error:rejectedIdentifier' WHERE id = ?", failed);
        String healthy = domain("healthy");
        certificate(rows, healthy, "now() - interval '10 days'", "now() + interval '80 days'");

        JsonPath fleet = fleet();
        List<Map<String, Object>> attention = fleet.getList("attention");
        List<String> mine = new ArrayList<>();
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> item : attention) {
            byId.put((String) item.get("domain_id"), item);
            if (List.of(expired, revoked, expiring, failing, stuck, failed, healthy).contains(item.get("domain_id"))) {
                mine.add((String) item.get("domain_id"));
            }
        }
        assertThat(mine).containsExactly(expired, revoked, expiring, failing, stuck, failed);
        assertThat(byId.get(expired)).containsEntry("reason", "certificate_expired").containsEntry("certificate_state", "expired");
        assertThat(byId.get(revoked)).containsEntry("reason", "certificate_revoked");
        assertThat(byId.get(expiring)).containsEntry("reason", "certificate_expiring");
        assertThat((String) byId.get(expiring).get("problem")).contains("in 3 days").contains("not renewed yet");
        assertThat(byId.get(failing)).containsEntry("reason", "renewal_failing");
        assertThat((String) byId.get(failing).get("problem")).startsWith("Its renewal fails: CAA forbids the CA.");
        assertThat((String) byId.get(failing).get("since")).isNotNull();
        assertThat(byId.get(stuck)).containsEntry("reason", "order_stuck");
        assertThat((String) byId.get(stuck).get("problem")).contains("now at validating; last problem: the CA did not answer.");
        assertThat(byId.get(failed)).containsEntry("reason", "domain_failed").containsEntry("status", "failed");
        assertThat(fleet.getLong("attention_total")).isGreaterThanOrEqualTo(6);
    }
}
