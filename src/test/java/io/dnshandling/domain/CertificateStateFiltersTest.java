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

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'certfilter-%.example.com'");
    }

    @Test
    void a_domain_has_a_certificate_from_its_first_until_its_last_is_deleted() {
        String id = Api.registered(Api.uniqueDomain(PREFIX + "presence")).id();
        assertThat(hasCertificate(id)).isFalse();
        String first = certificate(rows, id, "now() - interval '10 days'", "now() + interval '80 days'");
        assertThat(hasCertificate(id)).isTrue();
        String second = certificate(rows, id, "now() - interval '1 day'", "now() + interval '89 days'");
        rows.update("DELETE FROM certificates WHERE id = ?", first);
        assertThat(hasCertificate(id)).isTrue();
        rows.update("DELETE FROM certificates WHERE id = ?", second);
        assertThat(hasCertificate(id)).isFalse();
        Api.get(id).statusCode(200).body("certificate_state", equalTo("none"));
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
        // More expiring certificates than the list joins, under the same part of the name: with
        // the part, the list reads its matches and judges each; without, it walks the expiry counts.
        int bulk = DomainPages.WALKED_CANDIDATES + 50;
        activeDomains(rows, part + "-bulk", bulk, "'expiring'", "now() - interval '85 days', now() + interval '5 days', NULL");
        domainIds(rows, part + "-bulk-%").forEach(id -> expected.put(id, new String[] {"active", "expiring"}));
        expected.forEach((id, want) -> Api.get(id).statusCode(200).body("certificate_state", equalTo(want[1])));

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
    void a_common_state_beside_a_part_many_names_hold_is_listed_from_the_parts_first_match() {
        // Over a thousand names hold "zq" (more than a two-character part's lookup reads), all of
        // them expiring (more than the list joins), created before the few valid and new domains
        // that hold it too.
        String prefix = PREFIX + RandomIds.label(8);
        activeDomains(rows, prefix + "-zq", DomainPages.WALKED_CANDIDATES + 50, "'expiring'",
                "now() - interval '85 days', now() + interval '5 days', NULL");
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
                "expiring", domainIds(rows, prefix + "-zq-expiring-%"));
        assertThat(mine.get("valid")).containsExactlyInAnyOrderElementsOf(valid);
        assertThat(mine.get("none")).containsExactlyInAnyOrderElementsOf(fresh);
        mine.forEach((state, ids) -> {
            for (int limit : new int[] {2, 200}) {
                List<String> listed = Api.listedDomains(Map.of("certificate_state", state, "name", "zq"), limit);
                assertThat(listed).as(state + " by " + limit).doesNotHaveDuplicates();
                assertThat(listed.stream().filter(ids::contains).toList()).as(state + " by " + limit).isEqualTo(ids);
            }
        });
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

    private boolean hasCertificate(String id) {
        return Boolean.parseBoolean(rows.string("SELECT has_certificate::text FROM domains WHERE id = ?", id));
    }
}
