package io.dnshandling.domain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.RandomIds;
import io.dnshandling.support.ListPage;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The list's name search finds its page one of two ways, by how many names hold the part: a few
 * are read through the trigram index and sorted, many in creation order within the spans whose
 * name blocks (V31) can hold the part. Either way each match is listed once, in creation order,
 * across pages and with a status filter beside it. A part of two characters has no trigram of its
 * own and is looked up through the ones that can follow it ({@link NameLookup}); a part with no
 * lookup at all is found through the blocks alone.
 */
@QuarkusTest
class NameSearchTest {

    private static final String PREFIX = "namesearch-";

    @Inject
    Rows rows;

    @AfterEach
    void removeDomains() {
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'namesearch-%'");
    }

    @Test
    void a_few_matches_and_many_are_each_listed_once_in_creation_order_across_pages() {
        String part = PREFIX + RandomIds.label(8);
        int many = NameLookup.FEW_NAME_MATCHES + 50;
        // The few are created among the many and before them, so neither set sits at one end.
        insert(part + "-many", many, 2, 0);
        insert(part + "-few", 40, 2_000, 1);

        List<String> few = inCreationOrder(part + "-few-%", null);
        List<String> lots = inCreationOrder(part + "-many-%", null);
        assertThat(few).hasSize(40);
        assertThat(lots).hasSize(many);

        assertThat(inCreationOrder(part + "-few-%", "active")).hasSize(20);
        assertFewAndManyListed(part + "-few", part + "-few-%", part + "-many", part + "-many-%");
    }

    @Test
    void a_two_character_part_lists_its_few_and_its_many_matches_once_each_in_creation_order() {
        // A random label holding q7 (one in about 200) would put every name in the few.
        String label;
        do {
            label = PREFIX + RandomIds.label(8);
        } while (label.contains("q7"));
        int many = NameLookup.FEW_SHORT_MATCHES + 50;
        insert(label + "-z8", many, 2, 0);
        insert(label + "-q7", 40, 50, 1);

        // Every name in the database that holds the part, not only this test's.
        List<String> few = inCreationOrder("%q7%", null);
        List<String> lots = inCreationOrder("%z8%", null);
        assertThat(few).hasSizeGreaterThanOrEqualTo(40).hasSizeLessThanOrEqualTo(NameLookup.FEW_SHORT_MATCHES);
        assertThat(lots).hasSizeGreaterThan(NameLookup.FEW_SHORT_MATCHES);

        assertFewAndManyListed("q7", "%q7%", "z8", "%z8%");
    }

    /** The few and the many matches, each listed once in creation order across pages, alone and beside a status. */
    private void assertFewAndManyListed(String fewPart, String fewLike, String manyPart, String manyLike) {
        assertThat(listed(fewPart, null, 7)).isEqualTo(inCreationOrder(fewLike, null));
        assertThat(listed(manyPart, null, 200)).isEqualTo(inCreationOrder(manyLike, null));
        assertThat(listed(fewPart, "active", 3)).isEqualTo(inCreationOrder(fewLike, "active")).isNotEmpty();
        assertThat(listed(manyPart, "verified", 200)).isEqualTo(inCreationOrder(manyLike, "verified"));
    }

    @Test
    void a_part_with_no_trigram_is_found_through_the_name_blocks_whole_and_in_creation_order_also_after_a_rebuild() {
        // More names than a block holds, in every lane, spread over a day before now.
        insert(PREFIX + RandomIds.label(8) + "-z8", 3 * 512, 40, 3);

        assertThat(listed("z", null, 200)).isEqualTo(inCreationOrder("%z%", null));
        assertThat(listed("8-1", "active", 50)).isEqualTo(inCreationOrder("%8-1%", "active")).isNotEmpty();
        assertThat(listed("*", null, 50)).isEmpty();

        // What a restore or a seed with triggers off runs afterwards: one lane, blocks in creation order.
        rows.string("SELECT domain_name_blocks_rebuild()::text");
        assertThat(rows.count("SELECT count(DISTINCT lane) FROM domain_name_blocks")).isEqualTo(1);
        assertThat(listed("z", "verified", 200)).isEqualTo(inCreationOrder("%z%", "verified"));
        assertThat(listed("8-1", null, 50)).isEqualTo(inCreationOrder("%8-1%", null));
    }

    @Test
    void domains_inserted_at_once_from_many_connections_are_each_counted_in_a_name_block_and_all_found() throws Exception {
        String label = PREFIX + RandomIds.label(8);
        long before = rows.count("SELECT coalesce(sum(names), 0) FROM domain_name_blocks");
        int threads = 4;
        int each = 700; // 2,800 in all: more than the 8 lanes' open blocks hold, so blocks fill and new ones open meanwhile
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        rows.update("""
                                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
                                VALUES (md5(?), ?, 'token', substr(md5(?), 1, 20), 'verified', now(), now(), now())""",
                                label + thread + "-" + i, label + "-k-" + thread + "-" + i + ".example.com", "s" + label + thread + "-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.count("SELECT coalesce(sum(names), 0) FROM domain_name_blocks") - before).isEqualTo(threads * each);
        // "-k-" has no trigram and no two letters or digits: found through the blocks alone.
        assertThat(listed("-k-", null, 200)).isEqualTo(inCreationOrder("%-k-%", null)).hasSizeGreaterThanOrEqualTo(threads * each);
    }

    @Test
    void a_two_character_part_is_looked_up_by_patterns_that_together_match_exactly_the_names_that_hold_it() {
        for (String part : List.of("q7", "ab", "05", "9z")) {
            String[] patterns = NameLookup.of(part).patterns();
            char a = part.charAt(0);
            char b = part.charAt(1);
            // The part at a name's start and end, before a dot, a hyphen, a letter and a digit,
            // twice; and names that hold its characters only apart, reversed or across a dot.
            List<String> names = List.of(part + ".example.com", "example." + part, "x" + part + ".com", "a-" + part + "-b.com",
                    "shop" + part + "k.example.com", "n" + part + "7.com", part + part + ".io", a + "." + b + ".com", a + "-" + b + ".com",
                    "" + b + a + ".com", a + "x" + b + ".com", "example.com");
            String array = "{" + String.join(",", names) + "}";
            long holding = rows.count("SELECT count(*) FROM unnest(?::text[]) n WHERE n LIKE ?", array, NameLookup.like(part));
            long disagreeing = rows.count("SELECT count(*) FROM unnest(?::text[]) n WHERE (n LIKE ANY (?::text[])) <> (n LIKE ?)",
                    array, "{" + String.join(",", patterns) + "}", NameLookup.like(part));
            assertThat(holding).as(part).isEqualTo(7);
            assertThat(disagreeing).as(part).isZero();
        }
        assertThat(NameLookup.of("d")).isNull();
        assertThat(NameLookup.of("d.4")).isNull();
        assertThat(NameLookup.of("d42").patterns()).containsExactly("%d42%");
    }

    /** {@code count} domains named {@code label-i.example.com}, every {@code step} ms apart from {@code offset}, half active. */
    private void insert(String label, int count, int step, int offset) {
        rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, verified_at, created_at, updated_at)
                SELECT md5(? || i), ? || '-' || i || '.example.com', 'token', substr(md5('s' || ? || i), 1, 20),
                       CASE WHEN i % 2 = 0 THEN 'active' ELSE 'verified' END, now(),
                       now() - interval '1 day' + (i * ? + ?) * interval '1 millisecond', now()
                  FROM generate_series(1, ?) i""", label, label, label, step, offset, count);
    }

    private List<String> inCreationOrder(String like, String status) {
        List<String> ids = new ArrayList<>();
        rows.each("SELECT id FROM domains WHERE domain_name LIKE ?" + (status == null ? "" : " AND status = '" + status + "'")
                + " ORDER BY created_at, id", like, r -> ids.add(r.get(0)));
        return ids;
    }

    /** Every id the list gives for a name part (and a status), across all its pages of {@code limit}. */
    private static List<String> listed(String name, String status, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("name", name).queryParam("limit", limit);
            if (status != null) {
                request.queryParam("status", status);
            }
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            ListPage page = ListPage.of(request.get("/domains").then().statusCode(200), "domains");
            assertThat(page.strings("domain_name")).allMatch(n -> n.contains(name));
            if (status != null) {
                assertThat(page.strings("status")).allMatch(status::equals);
            }
            ids.addAll(page.strings("id"));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }
}
