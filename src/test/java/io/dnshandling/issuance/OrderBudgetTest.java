package io.dnshandling.issuance;

import static io.dnshandling.support.Api.get;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.dnshandling.support.Issuance.verifiedDomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Management;
import io.dnshandling.support.NoDueRenewalsResource;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ordering is bounded: the CA never sees more new orders than the budget, and a re-issue loop gets 429. */
@QuarkusTest
@TestProfile(OrderBudgetTest.SmallBudget.class)
class OrderBudgetTest {

    /** Four new orders per 3 hours, a quarter kept for renewals: three for first issues. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("acme.budget.new-orders", "4", "acme.budget.renewal-share", "0.25", "acme.reissue-cooldown", "1h");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class), new TestResourceEntry(NoDueRenewalsResource.class));
        }
    }

    @Inject
    Rows rows;

    @Inject
    OrderBudget budget;

    @BeforeEach
    void emptyLedger() {
        // Orders of earlier test classes (budgets off there) are in the same ledger.
        rows.update("DELETE FROM acme_order_ledger");
        rows.update("DELETE FROM acme_budget_pauses");
        rows.update("DELETE FROM acme_orders WHERE state = 'queued'");
        // Certificates of earlier test classes whose renewal is due (CaaTest leaves one failing and
        // retrying) would renew here against this CA and take from its small budget, before the
        // first issues these tests count. NoDueRenewalsResource moves them out before the service
        // starts (its first renewal pass runs at start); this keeps them out between the tests.
        rows.update(NoDueRenewalsResource.MOVE_DUE_RENEWALS_OUT);
    }

    @Test
    void orders_over_the_budget_are_queued_and_the_ca_sees_only_the_budget() {
        double before = newOrdersSeenByTheCa();
        List<RegisteredDomain> domains = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            domains.add(verifiedDomain("budget"));
        }
        for (int i = 0; i < 3; i++) {
            issue(domains.get(i).id()).statusCode(202).body("expected_txt_value", notNullValue()).body("queued_until", nullValue());
        }
        for (int i = 3; i < 5; i++) {
            issue(domains.get(i).id()).statusCode(202)
                    .body("expected_txt_value", nullValue())
                    .body("queued_reason", containsString("3 new orders per account in 3 hours"))
                    .body("queued_until", matchesPattern("\\d{4}-.*Z"))
                    .body("instructions", containsString("queued"));
            get(domains.get(i).id()).statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("certificate_pending"))
                    .body("queued_order.reason", containsString("new orders per account"));
        }
        assertThat(newOrdersSeenByTheCa() - before).isEqualTo(3.0);
        assertThat(rows.count("SELECT count(*) FROM acme_orders WHERE state = 'queued'")).isEqualTo(2);

        // The quarter kept back is for renewals: one more, and then none.
        String directory = AcmeTestBedResource.current().pebble.directory();
        assertThat(budget.reserve(directory, "renewal-a.example.com", true).await().atMost(Duration.ofSeconds(10))).isEmpty();
        assertThat(budget.reserve(directory, "renewal-b.example.com", true).await().atMost(Duration.ofSeconds(10))).isPresent();
    }

    @Test
    void a_rate_limited_account_queues_orders_until_the_pause_ends_and_then_they_complete() {
        String directory = AcmeTestBedResource.current().pebble.directory();
        budget.pause(directory, Instant.now().plusSeconds(3600), "too many new orders recently").await().atMost(Duration.ofSeconds(10));
        RegisteredDomain d = delegatedDomain("paused");
        double before = newOrdersSeenByTheCa();
        issue(d.id()).statusCode(202).body("queued_reason", containsString("rate-limited this account"));
        assertThat(newOrdersSeenByTheCa()).isEqualTo(before);

        // The pause is over: the queued order goes to the CA by itself and completes.
        rows.update("DELETE FROM acme_budget_pauses");
        rows.update("UPDATE acme_orders SET next_attempt_at = now() WHERE domain_id = ? AND state = 'queued'", d.id());
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        get(d.id()).body("queued_order", nullValue());
        assertThat(newOrdersSeenByTheCa() - before).isEqualTo(1.0);
    }

    @Test
    void a_reissue_loop_gets_429_with_retry_after_and_reaches_no_ca() {
        RegisteredDomain d = delegatedDomain("loop");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", Duration.ofSeconds(30));
        double before = newOrdersSeenByTheCa();
        for (int i = 0; i < 10; i++) {
            var refused = issue(d.id()).statusCode(429).body("error", containsString("re-issue is allowed once per 60 min")).extract();
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3000L, 3600L);
        }
        assertThat(newOrdersSeenByTheCa()).isEqualTo(before);
    }

    @Test
    void reservations_made_all_at_once_take_no_more_than_the_budget() {
        // Twenty first issues at once against three left for them: the lock in the database
        // (V29) lets exactly three through, whatever order they arrive in.
        String directory = AcmeTestBedResource.current().pebble.directory();
        List<Uni<Optional<OrderBudget.Wait>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(budget.reserve(directory, "burst-" + i + ".example.net", false));
        }
        List<Optional<OrderBudget.Wait>> answers = Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertThat(answers.stream().filter(Optional::isEmpty).count()).isEqualTo(3);
        assertThat(answers.stream().flatMap(Optional::stream).map(OrderBudget.Wait::reason))
                .hasSize(17)
                .allMatch(r -> r.startsWith("waiting for the budget of 3 new orders per account in 3 hours"));
        assertThat(rows.count("SELECT count(*) FROM acme_order_ledger WHERE domain_name LIKE 'burst-%'")).isEqualTo(3);
    }

    @Test
    void the_registered_domain_and_duplicate_budgets_count_what_they_should() {
        // The function itself, with budgets this class's profile does not set: the account's off,
        // two first issues per registered domain, two orders per name.
        String reserve = "SELECT coalesce((SELECT budget FROM acme_budget_reserve('https://ca.example/dir', ?, 'shop.example', ?,"
                + " 0, 10800, 2, 2, 604800)), 'taken')";
        assertThat(rows.string(reserve, "a.shop.example", false)).isEqualTo("taken");
        assertThat(rows.string(reserve, "b.shop.example", false)).isEqualTo("taken");
        assertThat(rows.string(reserve, "c.shop.example", false)).isEqualTo("registered");
        // Renewals are exempt from the registered domain's budget, but count as the same name.
        assertThat(rows.string(reserve, "a.shop.example", true)).isEqualTo("taken");
        assertThat(rows.string(reserve, "a.shop.example", true)).isEqualTo("duplicates");
        assertThat(rows.count("SELECT count(*) FROM acme_order_ledger WHERE directory_url = 'https://ca.example/dir'")).isEqualTo(3);
    }

    /** New-order requests the service sent to Pebble (its newOrder URL is /order-plz), from the service's own metrics. */
    private static double newOrdersSeenByTheCa() {
        Matcher m = Pattern.compile("(?m)^acme_requests_total\\{[^}]*endpoint=\"order-plz\"[^}]*} ([0-9.eE+-]+)$").matcher(Management.metrics());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
