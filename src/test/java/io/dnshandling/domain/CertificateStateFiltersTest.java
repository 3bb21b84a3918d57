package io.dnshandling.domain;

import static io.dnshandling.support.StoredCertificates.activeDomain;
import static io.dnshandling.support.StoredCertificates.activeDomains;
import static io.dnshandling.support.StoredCertificates.certificate;
import static io.dnshandling.support.StoredCertificates.domainIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.Api;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The list's certificate state beside a status and a part of a name: each combination lists
 * exactly the domains that meet all of them, whichever way the list finds them, and whether a
 * domain has a certificate (V33) follows its certificates.
 */
@QuarkusTest
class CertificateStateFiltersTest {

    private static final String PREFIX = "certfilter-";

    @Inject
    Rows rows;

    @Inject
    CertificateExpiryFill fill;

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'certfilter-%.example.com'");
    }

    @Test
    void a_domain_has_a_certificate_from_its_first_until_its_last_is_deleted_and_the_newest_ones_expiry() {
        String id = Api.registered(Api.uniqueDomain(PREFIX + "presence")).id();
        assertThat(kept(id)).isEqualTo("false/");
        String first = certificate(rows, id, "now() - interval '10 days'", "'2027-02-01T00:00:00Z'");
        assertThat(kept(id)).isEqualTo("true/2027-02-01");
        String second = certificate(rows, id, "now() - interval '1 day'", "'2027-03-01T00:00:00Z'");
        assertThat(kept(id)).isEqualTo("true/2027-03-01");
        // The current certificate is the newest by issue time, whichever row came last.
        rows.update("UPDATE certificates SET issued_at = now() + interval '1 minute' WHERE id = ?", first);
        assertThat(kept(id)).isEqualTo("true/2027-02-01");
        rows.update("DELETE FROM certificates WHERE id = ?", first);
        assertThat(kept(id)).isEqualTo("true/2027-03-01");
        rows.update("DELETE FROM certificates WHERE id = ?", second);
        assertThat(kept(id)).isEqualTo("false/");
        Api.get(id).statusCode(200).body("certificate_state", equalTo("none"));
    }

    @Test
    void a_domain_whose_certificate_came_before_its_expiry_was_kept_is_listed_and_then_filled() {
        String part = PREFIX + RandomIds.label(8);
        List<String> ids = new ArrayList<>();
        for (String validity : List.of("now() + interval '3 days'", "now() - interval '2 hours'", "'2027-06-01T00:00:00Z'")) {
            String id = activeDomain(rows, part + "-" + ids.size() + ".example.com");
            certificate(rows, id, "now() - interval '80 days'", validity);
            ids.add(id);
        }
        // As a domain with a certificate stored before V34 is: its expiry not kept yet.
        rows.update("UPDATE domains SET certificate_expires_at = NULL WHERE domain_name LIKE ?", part + "-%");
        assertThat(Api.listedDomains(Map.of("certificate_state", "expiring", "name", part))).isEqualTo(List.of(ids.get(0)));
        assertThat(Api.listedDomains(Map.of("certificate_state", "expired", "name", part))).isEqualTo(List.of(ids.get(1)));

        assertThat(fill.fillAll().await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(3L);
        assertThat(kept(ids.get(2))).isEqualTo("true/2027-06-01");
        assertThat(rows.string("SELECT count(*)::text FROM domains WHERE has_certificate AND certificate_expires_at IS NULL")).isEqualTo("0");
        assertThat(Api.listedDomains(Map.of("certificate_state", "expiring", "name", part))).isEqualTo(List.of(ids.get(0)));
        assertThat(Api.listedDomains(Map.of("certificate_state", "expired", "name", part))).isEqualTo(List.of(ids.get(1)));
        // Nothing is left: a later start fills none.
        assertThat(fill.fillAll().await().atMost(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void each_state_beside_each_status_and_a_part_of_the_name_lists_exactly_the_domains_that_meet_them() {
        String part = PREFIX + RandomIds.label(8);
        // The domain's status and certificate state, by id.
        Map<String, String[]> expected = new HashMap<>();
        Map<String, String[]> certificates = new LinkedHashMap<>();
        certificates.put("valid", new String[] {"now() - interval '10 days'", "now() + interval '80 days'"});
        certificates.put("expiring", new String[] {"now() - interval '84 days'", "now() + interval '6 days'"});
        certificates.put("expired", new String[] {"now() - interval '91 days'", "now() - interval '1 hour'"});
        certificates.put("revoked", new String[] {"now() - interval '1 day'", "now() + interval '89 days'"});
        certificates.forEach((state, validity) -> {
            String id = activeDomain(rows, part + "-" + state + ".example.com");
            String cert = certificate(rows, id, validity[0], validity[1]);
            if (state.equals("revoked")) {
                rows.update("UPDATE certificates SET revoked_at = now(), revocation_reason = 'keyCompromise' WHERE id = ?", cert);
            }
            expected.put(id, new String[] {"active", state});
        });
        String failing = activeDomain(rows, part + "-failing.example.com");
        String failingCert = certificate(rows, failing, "now() - interval '70 days'", "now() + interval '20 days'");
        rows.update("UPDATE certificates SET renewal_error = 'CA unreachable', renew_at = now() + interval '1 hour' WHERE id = ?", failingCert);
        expected.put(failing, new String[] {"active", "renewing"});
        for (int i = 0; i < 3; i++) {
            expected.put(Api.registered(part + "-new" + i + ".example.com").id(), new String[] {"pending", "none"});
        }
        // Each domain's own state: every one set up alone, and the bulk's first and last (the lists
        // below judge every one of the bulk).
        List<String> shown = new ArrayList<>(expected.keySet());
        // Over a thousand expiring certificates under the same part of the name: with the part,
        // the list reads its matches and judges each; without, it sorts them through the index of
        // hours of expiry.
        int bulk = DomainPages.JOINED_CANDIDATES + 50;
        activeDomains(rows, part + "-bulk", bulk, "'expiring'", "now() - interval '85 days', now() + interval '5 days', NULL");
        List<String> bulkIds = domainIds(rows, part + "-bulk-%");
        bulkIds.forEach(id -> expected.put(id, new String[] {"active", "expiring"}));
        shown.addAll(List.of(bulkIds.get(0), bulkIds.get(bulkIds.size() - 1)));
        shown.forEach(id -> Api.get(id).statusCode(200).body("certificate_state", equalTo(expected.get(id)[1])));

        List<String> mine = domainIds(rows, part + "-%");
        assertThat(mine).hasSize(expected.size());
        for (String state : List.of("valid", "renewing", "expiring", "expired", "revoked", "none")) {
            for (String status : new String[] {null, "active", "pending", "verified"}) {
                for (String name : new String[] {null, part}) {
                    Map<String, String> filters = new HashMap<>(Map.of("certificate_state", state));
                    if (status != null) {
                        filters.put("status", status);
                    }
                    if (name != null) {
                        filters.put("name", name);
                    }
                    List<String> want = mine.stream()
                            .filter(id -> expected.get(id)[1].equals(state) && (status == null || expected.get(id)[0].equals(status))).toList();
                    List<String> listed = Api.listedDomains(filters);
                    assertThat(listed).as(filters.toString()).doesNotHaveDuplicates();
                    assertThat(listed.stream().filter(expected::containsKey).toList()).as(filters.toString()).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void a_state_beside_a_part_many_names_hold_is_listed_from_the_parts_first_match_or_its_few_candidates() {
        // Thousands of names hold "zq" (more than a two-character part's lookup reads): more
        // expiring than the list joins, walked from the part's first match; over a thousand
        // expired, joined and each checked for the part; all created before the few valid and new
        // domains that hold it too.
        String prefix = PREFIX + RandomIds.label(8);
        activeDomains(rows, prefix + "-zq", DomainPages.MANY_CANDIDATES + 50, "'expiring'",
                "now() - interval '85 days', now() + interval '5 days', NULL");
        activeDomains(rows, prefix + "-zqx", DomainPages.JOINED_CANDIDATES + 50, "'expired'",
                "now() - interval '95 days', now() - interval '5 days', NULL");
        List<String> valid = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = activeDomain(rows, prefix + "-zq-valid" + i + ".example.com");
            certificate(rows, id, "now() - interval '10 days'", "now() + interval '80 days'");
            valid.add(id);
            fresh.add(Api.registered(prefix + "-zq-new" + i + ".example.com").id());
        }
        // In creation order: domains created in the same instant come in the order of their ids.
        Map<String, List<String>> mine = Map.of("valid", domainIds(rows, prefix + "-zq-valid%"), "none", domainIds(rows, prefix + "-zq-new%"),
                "expiring", domainIds(rows, prefix + "-zq-expiring-%"), "expired", domainIds(rows, prefix + "-zqx-expired-%"));
        assertThat(mine.get("valid")).containsExactlyInAnyOrderElementsOf(valid);
        assertThat(mine.get("none")).containsExactlyInAnyOrderElementsOf(fresh);
        mine.forEach((state, ids) -> {
            Map<String, String> filters = Map.of("certificate_state", state, "name", "zq");
            List<String> listed = Api.listedDomains(filters, 200);
            assertThat(listed).as(state).doesNotHaveDuplicates();
            assertThat(listed.stream().filter(ids::contains).toList()).as(state).isEqualTo(ids);
            // Small pages carry on from where each ended: the first five pages of two.
            List<String> first = Api.listedDomains(filters, 2, 5).stream().filter(ids::contains).toList();
            assertThat(first).as(state + " by 2").isNotEmpty().isEqualTo(ids.subList(0, first.size()));
        });
        // Without the part: more expiring than the list sorts, walked in creation order; the
        // expired sorted through the index of hours. Both across pages of 200, and of 2.
        for (String state : List.of("expiring", "expired")) {
            List<String> ids = mine.get(state);
            Map<String, String> filters = Map.of("certificate_state", state);
            assertThat(Api.listedDomains(filters, 200).stream().filter(ids::contains).toList()).as(state + " alone").isEqualTo(ids);
            List<String> first = Api.listedDomains(filters, 2, 5).stream().filter(ids::contains).toList();
            assertThat(first).as(state + " alone by 2").isEqualTo(ids.subList(0, first.size()));
        }
        // "q-v" has no two letters or digits together: found through the blocks alone, its first
        // match the first valid domain itself.
        assertThat(Api.listedDomains(Map.of("certificate_state", "valid", "name", "q-v"), 2)).filteredOn(valid::contains)
                .isEqualTo(mine.get("valid"));
        // The new domains are pending: none is listed as a valid pending one, nor as a none active one.
        assertThat(Api.listedDomains(Map.of("certificate_state", "none", "name", "zq", "status", "pending")))
                .filteredOn(mine.get("none")::contains).isEqualTo(mine.get("none"));
        assertThat(Api.listedDomains(Map.of("certificate_state", "valid", "name", "zq", "status", "pending"))).doesNotContainAnyElementsOf(valid);
        assertThat(Api.listedDomains(Map.of("certificate_state", "none", "name", "zq", "status", "active"))).doesNotContainAnyElementsOf(fresh);
    }

    /** What the domain keeps of its certificates (V33, V34): whether it has one, and the current one's expiry day. */
    private String kept(String id) {
        return rows.string("SELECT has_certificate || '/' || coalesce(to_char(certificate_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), '')"
                + " FROM domains WHERE id = ?", id);
    }
}
