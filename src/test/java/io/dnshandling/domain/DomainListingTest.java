package io.dnshandling.domain;

import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;

import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.ListPage;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@QuarkusTest
class DomainListingTest {

    @Inject
    Rows rows;

    @Test
    void paging_through_every_domain_returns_each_once_in_creation_order() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(registered(uniqueDomain("page" + i)).id());
        }
        List<String> seen = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            ListPage page = ListPage.of(request.get("/domains").then().statusCode(200), "domains");
            List<String> ids = page.strings("id");
            assertThat(ids.size()).isBetween(0, 3);
            seen.addAll(ids);
            page.strings("created_at").forEach(t -> created.add(Instant.parse(t)));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10_000);
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
        assertThat(seen).hasSize((int) rows.domains());
        assertThat(created).isSorted();
    }

    @Test
    void a_status_filter_returns_only_that_status() {
        RegisteredDomain d = registered(uniqueDomain("filtered"));
        rows.update("UPDATE domains SET status = 'failed', failure_reason = 'x' WHERE id = ?", d.id());
        given().queryParam("status", "failed").queryParam("limit", 200).get("/domains").then().statusCode(200)
                .body("domains.status", everyItem(equalTo("failed")));
        Set<String> failed = new HashSet<>(given().queryParam("status", "failed").queryParam("limit", 200).get("/domains")
                .then().extract().jsonPath().getList("domains.id"));
        assertThat(failed).contains(d.id());
    }

    @Test
    void bad_listing_parameters_are_bad_requests() {
        given().queryParam("status", "sleeping").get("/domains").then().statusCode(400).body("error", containsString("status must be one of"));
        given().queryParam("limit", 0).get("/domains").then().statusCode(400).body("error", containsString("limit"));
        given().queryParam("limit", 201).get("/domains").then().statusCode(400).body("error", containsString("limit"));
        given().queryParam("limit", "many").get("/domains").then().statusCode(400).body("error", containsString("limit"));
        given().queryParam("cursor", "not-a-cursor!").get("/domains").then().statusCode(400).body("error", containsString("cursor"));
        given().queryParam("cursor", "MTIzOmFiYw").get("/domains").then().statusCode(400);
    }

    @Test
    void deleting_a_domain_removes_it_and_withdraws_its_dns_records() {
        RegisteredDomain d = registered(uniqueDomain("deleted"));
        DnsClient dns = new DnsClient(TestDnsResource.builtInPort());
        String target = "_acme-challenge." + d.projectSubdomain() + ".dns-handling.test";
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !dns.udp(target, Type.TXT).getSection(Section.ANSWER).isEmpty());

        given().delete("/domains/" + d.id()).then().statusCode(204);
        given().get("/domains/" + d.id()).then().statusCode(404);
        given().delete("/domains/" + d.id()).then().statusCode(404).body("error", equalTo("domain not found"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> dns.udp(target, Type.TXT).getRcode() == Rcode.NXDOMAIN);
        assertThat(rows.count("SELECT count(*) FROM domains WHERE id = ?", d.id())).isZero();
    }
}
