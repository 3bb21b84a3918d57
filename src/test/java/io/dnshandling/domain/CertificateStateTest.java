package io.dnshandling.domain;

import static io.dnshandling.support.StoredCertificates.activeDomain;
import static io.dnshandling.support.StoredCertificates.activeDomains;
import static io.dnshandling.support.StoredCertificates.certificate;
import static io.dnshandling.support.StoredCertificates.domainIds;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Api;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * certificate_state says whether an active domain's certificate is still good, on the single read
 * and in the list, and the list filters on it: each state from stored certificates at the edges
 * that tell them apart.
 */
@QuarkusTest
class CertificateStateTest {

    private static final String PREFIX = "certstate-";

    @Inject
    Rows rows;

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'certstate-%.example.com'");
    }

    private String domain(String label) {
        return activeDomain(rows, PREFIX + label + "-" + RandomIds.label(8) + ".example.com");
    }

    @Test
    void each_state_is_shown_on_the_domain_and_in_the_filtered_list() {
        Map<String, String> expected = new LinkedHashMap<>();
        String valid = domain("valid");
        certificate(rows, valid, "now() - interval '10 days'", "now() + interval '80 days'");
        expected.put(valid, "valid");

        String expiring = domain("expiring");
        certificate(rows, expiring, "now() - interval '84 days'", "now() + interval '6 days'");
        expected.put(expiring, "expiring");

        // Six days of a 90-day certificate is expiring; three days of a 6-day one is not (a tenth is 14.4 hours).
        String shortLived = domain("short");
        certificate(rows, shortLived, "now() - interval '3 days'", "now() + interval '3 days'");
        expected.put(shortLived, "valid");
        String shortEnding = domain("shortend");
        certificate(rows, shortEnding, "now() - interval '138 hours'", "now() + interval '10 hours'");
        expected.put(shortEnding, "expiring");

        String expired = domain("expired");
        certificate(rows, expired, "now() - interval '91 days'", "now() - interval '1 hour'");
        expected.put(expired, "expired");

        String revoked = domain("revoked");
        String revokedCert = certificate(rows, revoked, "now() - interval '1 day'", "now() + interval '89 days'");
        rows.update("UPDATE certificates SET revoked_at = now(), revocation_reason = 'keyCompromise' WHERE id = ?", revokedCert);
        expected.put(revoked, "revoked");

        // A renewal that failed and is retried, far from expiry.
        String failing = domain("failing");
        String failingCert = certificate(rows, failing, "now() - interval '70 days'", "now() + interval '20 days'");
        rows.update("UPDATE certificates SET renewal_error = 'CA unreachable', renewal_attempts = 2, renew_at = now() + interval '1 hour'"
                + " WHERE id = ?", failingCert);
        expected.put(failing, "renewing");

        // A renewal order open at the CA (not due again for a day, so the runner leaves it alone).
        String renewing = domain("renewing");
        certificate(rows, renewing, "now() - interval '65 days'", "now() + interval '25 days'");
        rows.update("""
                INSERT INTO acme_orders (id, domain_id, directory_url, order_url, state, next_attempt_at, attempts, txt_deadline, deadline,
                                         created_at, updated_at, purpose)
                VALUES (?, ?, 'test', 'test', 'awaiting_dns', now() + interval '1 day', 0, now() + interval '1 day', now() + interval '1 day',
                        now(), now(), 'renewal')""", RandomIds.id(), renewing);
        expected.put(renewing, "renewing");

        // The newest certificate counts: a renewed domain whose old certificate expired is valid.
        String renewed = domain("renewed");
        certificate(rows, renewed, "now() - interval '95 days'", "now() - interval '5 days'");
        rows.update("UPDATE certificates SET issued_at = now() - interval '95 days' WHERE domain_id = ?", renewed);
        certificate(rows, renewed, "now() - interval '6 days'", "now() + interval '84 days'");
        expected.put(renewed, "valid");

        String none = Api.registered(PREFIX + "none-" + RandomIds.label(8) + ".example.com").id();
        expected.put(none, "none");

        expected.forEach((id, state) -> Api.get(id).statusCode(200).body("certificate_state", equalTo(state)));

        for (String state : List.of("valid", "renewing", "expiring", "expired", "revoked", "none")) {
            List<String> listed = listed("certificate_state", state);
            List<String> mine = expected.entrySet().stream().filter(e -> e.getValue().equals(state)).map(Map.Entry::getKey).toList();
            List<String> others = expected.entrySet().stream().filter(e -> !e.getValue().equals(state)).map(Map.Entry::getKey).toList();
            assertThat(listed).as(state).containsAll(mine).doesNotContainAnyElementsOf(others);
        }
    }

    @Test
    void many_domains_in_a_rare_state_are_listed_by_the_scan_each_once_in_creation_order() {
        // More failing renewals than the list joins: the scan in creation order checks each domain.
        int many = DomainPages.MANY_CANDIDATES + 100;
        String prefix = PREFIX + "many-" + RandomIds.label(6);
        activeDomains(rows, prefix, many, "'failing'", "now() - interval '70 days', now() + interval '20 days', 'CA unreachable'");
        List<String> mine = domainIds(rows, prefix + "-failing-%");
        assertThat(mine).hasSize(many);
        List<String> listed = Api.listedDomains(Map.of("certificate_state", "renewing"));
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(listed.stream().filter(mine::contains).toList()).isEqualTo(mine);
    }

    @Test
    void many_expiring_and_expired_certificates_are_walked_in_creation_order_each_judged_by_the_rule() {
        // More of each than the list sorts through the index of hours.
        listedInCreationOrderByTheRule("walk-", DomainPages.SORTED_CANDIDATES + 100, 200);
    }

    @Test
    void a_few_hundred_expiring_and_expired_certificates_are_sorted_then_judged_by_the_rule_across_pages() {
        // Fewer than the list sorts: read through the index of hours, sorted, and judged in that
        // order; pages of 7 carry on after the position inside the sorted set.
        listedInCreationOrderByTheRule("sorted-", 300, 7);
    }

    /**
     * EACH expiring, expired and short-lived domains interleaved in creation order, the short-lived
     * certificates' hour of expiry within the week but not expiring yet: each state lists exactly
     * its own, in creation order, in pages of {@code limit}, alone and with the active status.
     */
    private void listedInCreationOrderByTheRule(String label, int each, int limit) {
        String prefix = PREFIX + label + RandomIds.label(6);
        activeDomains(rows, prefix, 3 * each, "(ARRAY['expiring', 'expired', 'short'])[i % 3 + 1]", """
                CASE i % 3 WHEN 0 THEN now() - interval '85 days' WHEN 1 THEN now() - interval '91 days' ELSE now() - interval '3 days' END,
                CASE i % 3 WHEN 0 THEN now() + interval '5 days' WHEN 1 THEN now() - interval '1 hour' ELSE now() + interval '3 days' END,
                NULL""");
        List<String> shortLived = domainIds(rows, prefix + "-short-%");
        for (String state : List.of("expiring", "expired")) {
            List<String> mine = domainIds(rows, prefix + "-" + state + "-%");
            assertThat(mine).hasSize(each);
            for (Map<String, String> filters : List.of(Map.of("certificate_state", state), Map.of("certificate_state", state, "status", "active"))) {
                List<String> listed = Api.listedDomains(filters, limit);
                assertThat(listed).as(filters.toString()).doesNotHaveDuplicates().doesNotContainAnyElementsOf(shortLived);
                assertThat(listed.stream().filter(mine::contains).toList()).as(filters.toString()).isEqualTo(mine);
            }
            // The expiry counts hold active domains' certificates only: no other status has one.
            assertThat(Api.listedDomains(Map.of("certificate_state", state, "status", "verified"))).isEmpty();
        }
    }

    @Test
    void the_list_shows_each_domains_certificate_state_and_combines_filters() {
        String expired = domain("combined");
        certificate(rows, expired, "now() - interval '91 days'", "now() - interval '1 hour'");
        JsonPath page = given().queryParam("status", "active").queryParam("certificate_state", "expired").queryParam("name", "certstate-combined")
                .get("/domains").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("domains.id", String.class)).containsExactly(expired);
        assertThat(page.getString("domains[0].certificate_state")).isEqualTo("expired");
        given().queryParam("status", "pending").queryParam("certificate_state", "expired").queryParam("name", "certstate-combined")
                .get("/domains").then().statusCode(200).body("domains.size()", equalTo(0));
    }

    @Test
    void a_name_search_finds_part_of_a_name_in_any_case() {
        String id = domain("SearchMe".toLowerCase());
        assertThat(listed("name", "CERTSTATE-searchme")).containsExactly(id);
        assertThat(listed("name", "no-such-part-" + RandomIds.label(10))).isEmpty();
    }

    @Test
    void unknown_states_and_names_that_are_not_part_of_a_domain_name_are_bad_requests() {
        given().queryParam("certificate_state", "shaky").get("/domains").then().statusCode(400)
                .body("error", containsString("certificate_state must be one of valid, renewing, expiring, expired, revoked, none"));
        for (String bad : List.of("%", "a_b", "shop example", "x".repeat(254))) {
            given().queryParam("name", bad).get("/domains").then().statusCode(400).body("error", containsString("name must be part of"));
        }
    }

    private List<String> listed(String filter, String value) {
        return Api.listedDomains(Map.of(filter, value));
    }
}
