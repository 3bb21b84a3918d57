package io.dnshandling.dnsrecord;

import static io.dnshandling.support.Api.registered;
import static io.dnshandling.support.Api.uniqueDomain;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Concurrently;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.dnshandling.support.TestDnsServer.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Message;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

@QuarkusTest
class DnsRecordApiTest {

    static final String ZONE = "dns-handling.test";

    @Inject
    Rows rows;

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    private static String label(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/dns/records").then();
    }

    private static ValidatableResponse delete(String json) {
        return given().contentType(ContentType.JSON).body(json).delete("/dns/records").then();
    }

    @Test
    void a_relative_name_is_taken_inside_the_zone_and_the_stored_record_is_returned() {
        String l = label("rel");
        post("{\"name\":\"" + l + "\",\"type\":\"a\",\"value\":\" 192.0.2.7 \",\"ttl\":120}").statusCode(201)
                .body("id", matchesPattern("[0-9a-f]{32}"))
                .body("name", equalTo(l + "." + ZONE))
                .body("type", equalTo("A"))
                .body("value", equalTo("192.0.2.7"))
                .body("ttl", equalTo(120))
                .body("$", not(hasKey("priority")))
                .body("created_at", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        // The zone's own name, with or without the dot, is absolute.
        post("{\"name\":\"" + l + "." + ZONE + "\",\"type\":\"TXT\",\"value\":\"x\"}").statusCode(201)
                .body("name", equalTo(l + "." + ZONE));
        post("{\"name\":\"" + l.toUpperCase() + "." + ZONE + ".\",\"type\":\"AAAA\",\"value\":\"2001:DB8:0::1\"}").statusCode(201)
                .body("name", equalTo(l + "." + ZONE)).body("value", equalTo("2001:db8::1")).body("ttl", equalTo(300));
        given().get("/dns/records").then().statusCode(200).body("records.name", hasItem(l + "." + ZONE));
    }

    @Test
    void mx_and_srv_carry_their_numbers() {
        String l = label("mx");
        post("{\"name\":\"" + l + "\",\"type\":\"MX\",\"value\":\"Mail.Example.com.\",\"priority\":10}").statusCode(201)
                .body("value", equalTo("mail.example.com")).body("priority", equalTo(10));
        post("{\"name\":\"_sip._tcp." + l + "\",\"type\":\"SRV\",\"value\":\"sip.example.com\",\"priority\":1,\"weight\":2,\"port\":5060}")
                .statusCode(201).body("port", equalTo(5060)).body("weight", equalTo(2));
    }

    @ParameterizedTest(name = "{0} -> 400 {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"name":"n","type":"NS","value":"ns.example.com"}                | type must be one of
            {"name":"n","value":"192.0.2.1"}                                 | type is required
            {"type":"A","value":"192.0.2.1"}                                 | name is required
            {"name":"n","type":"A"}                                          | value is required
            {"name":"www.example.com.","type":"A","value":"192.0.2.1"}       | outside the served zone
            {"name":"*.wild","type":"A","value":"192.0.2.1"}                 | not a valid DNS name
            {"name":"bad..name","type":"A","value":"192.0.2.1"}              | not a valid DNS name
            {"name":"n","type":"A","value":"256.1.1.1"}                      | not an IPv4 address
            {"name":"n","type":"A","value":"2001:db8::1"}                    | not an IPv4 address
            {"name":"n","type":"A","value":"example.com"}                    | not an IPv4 address
            {"name":"n","type":"AAAA","value":"192.0.2.1"}                   | not an IPv6 address
            {"name":"n","type":"CNAME","value":"not a name"}                 | not a valid DNS name
            {"name":"n","type":"A","value":"192.0.2.1","ttl":-1}             | ttl must be between
            {"name":"n","type":"A","value":"192.0.2.1","ttl":604801}         | ttl must be between
            {"name":"n","type":"MX","value":"mx.example.com"}                | priority is required
            {"name":"n","type":"MX","value":"mx.example.com","priority":70000} | priority must be between
            {"name":"n","type":"SRV","value":"s.example.com","priority":1,"weight":1} | port is required
            {"name":"n","type":"A","value":"192.0.2.1","priority":1}         | priority applies only
            {"name":"n","type":"TXT","value":"x","port":1}                   | weight and port apply only
            {"name":"@","type":"CNAME","value":"other.example.com"}          | apex cannot hold a CNAME
            {"name":"n","type":"A","value":1}                                | field 'value' must be a string
            {"name":"n","type":"A","value":"192.0.2.1","ttl":"300"}          | field 'ttl' must be a number
            """)
    void invalid_records_are_refused_with_the_reason_and_nothing_is_stored(String json, String reason) {
        long before = rows.count("SELECT count(*) FROM dns_records");
        post(json).statusCode(400).contentType(ContentType.JSON).body("error", containsString(reason));
        assertThat(rows.count("SELECT count(*) FROM dns_records")).isEqualTo(before);
    }

    @Test
    void an_oversize_txt_value_is_refused() {
        post("{\"name\":\"big\",\"type\":\"TXT\",\"value\":\"" + "x".repeat(4001) + "\"}").statusCode(400)
                .body("error", containsString("longer than 4000 bytes"));
    }

    @Test
    void duplicates_and_cname_conflicts_are_conflicts() {
        String l = label("dup");
        post("{\"name\":\"" + l + "\",\"type\":\"A\",\"value\":\"192.0.2.1\"}").statusCode(201);
        post("{\"name\":\"" + l + "\",\"type\":\"A\",\"value\":\"192.0.2.1\"}").statusCode(409).body("error", containsString("already exists"));
        post("{\"name\":\"" + l + "\",\"type\":\"CNAME\",\"value\":\"x.example.com\"}").statusCode(409).body("error", containsString("CNAME"));
        String c = label("cname");
        post("{\"name\":\"" + c + "\",\"type\":\"CNAME\",\"value\":\"x.example.com\"}").statusCode(201);
        post("{\"name\":\"" + c + "\",\"type\":\"TXT\",\"value\":\"t\"}").statusCode(409);
        post("{\"name\":\"" + c + "\",\"type\":\"CNAME\",\"value\":\"y.example.com\"}").statusCode(409);
    }

    @Test
    void concurrent_cname_and_address_at_one_name_cannot_both_be_stored() throws Exception {
        String l = label("race");
        List<Integer> statuses = Concurrently.run(8, i -> () -> post(i % 2 == 0
                ? "{\"name\":\"" + l + "\",\"type\":\"CNAME\",\"value\":\"t" + i + ".example.com\"}"
                : "{\"name\":\"" + l + "\",\"type\":\"A\",\"value\":\"192.0.2." + i + "\"}").extract().statusCode());
        assertThat(statuses).allMatch(s -> s == 201 || s == 409);
        String name = l + "." + ZONE;
        long cnames = rows.count("SELECT count(*) FROM dns_records WHERE name = ? AND type = 'CNAME'", name);
        long others = rows.count("SELECT count(*) FROM dns_records WHERE name = ? AND type <> 'CNAME'", name);
        assertThat(cnames == 1 && others == 0 || cnames == 0 && others >= 1).as("%d CNAME, %d others", cnames, others).isTrue();
    }

    @Test
    void names_the_service_manages_for_a_domain_cannot_be_written() {
        var d = registered(uniqueDomain("managed"));
        post("{\"name\":\"_acme-challenge." + d.projectSubdomain() + "\",\"type\":\"TXT\",\"value\":\"forged\"}")
                .statusCode(400).body("error", containsString("managed by the service"));
    }

    @Test
    void a_txt_value_is_stored_and_served_byte_for_byte_backslashes_included() throws Exception {
        String l = label("exact");
        String value = "a\\065 \"q\" b\\"; // a\065 "q" b\ : a backslash is text, never the start of an escape
        post(new ObjectMapper().writeValueAsString(Map.of("name", l, "type", "TXT", "value", value))).statusCode(201)
                .body("value", equalTo(value));
        Message m = dns.awaitAnswer(l + "." + ZONE, Type.TXT);
        TXTRecord txt = (TXTRecord) m.getSection(Section.ANSWER).get(0);
        assertThat(txt.getStringsAsByteArrays()).singleElement()
                .satisfies(b -> assertThat(new String((byte[]) b, StandardCharsets.UTF_8)).isEqualTo(value));
    }

    @Test
    void a_deleted_domains_delegation_names_stay_reserved_and_its_label_is_never_given_out_again() {
        RegisteredDomain d = registered(uniqueDomain("retired"));
        given().delete("/domains/" + d.id()).then().statusCode(204);
        String sub = d.projectSubdomain();
        for (String name : List.of("_acme-challenge." + sub, sub, "www." + sub, "_acme-challenge." + sub + "." + ZONE + ".")) {
            post("{\"name\":\"" + name + "\",\"type\":\"TXT\",\"value\":\"takeover\"}").statusCode(400)
                    .body("error", containsString("reserved for delegation targets"));
        }
        assertThat(rows.count("SELECT count(*) FROM retired_labels WHERE label = ?", sub)).isEqualTo(1);
        assertThatThrownBy(() -> rows.update("""
                INSERT INTO domains (id, domain_name, verification_token, project_subdomain, status, created_at, updated_at)
                VALUES (md5(random()::text), ?, 'token', ?, 'pending', now(), now())""", uniqueDomain("reuse"), sub))
                .hasMessageContaining("belonged to a deleted domain");
        post("{\"name\":\"" + label("ordinary") + "\",\"type\":\"TXT\",\"value\":\"fine\"}").statusCode(201);
    }

    @Test
    void a_deleted_record_is_gone_from_the_store_and_from_dns() {
        String l = label("del");
        String name = l + "." + ZONE;
        post("{\"name\":\"" + l + "\",\"type\":\"TXT\",\"value\":\"bye\"}").statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !dns.udp(name, Type.TXT).getSection(Section.ANSWER).isEmpty());
        delete("{\"name\":\"" + name + ".\",\"type\":\"txt\",\"value\":\"bye\"}").statusCode(200)
                .body("name", equalTo(name)).body("value", equalTo("bye"));
        delete("{\"name\":\"" + l + "\",\"type\":\"TXT\",\"value\":\"bye\"}").statusCode(404)
                .body("error", containsString("no TXT record"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> dns.udp(name, Type.TXT).getRcode() == Rcode.NXDOMAIN);
    }

    @Test
    void deleting_needs_a_valid_key() {
        delete("{\"name\":\"x\",\"type\":\"BOGUS\",\"value\":\"v\"}").statusCode(400);
        delete("{\"name\":\"x\",\"type\":\"A\",\"value\":\"nope\"}").statusCode(400).body("error", containsString("IPv4"));
        delete("not json").statusCode(400);
        given().contentType(ContentType.JSON).delete("/dns/records").then().statusCode(400);
    }

    @Test
    void resolve_answers_what_the_service_resolvers_see() {
        String name = "resolve-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        TestDnsResource.server().txt(name, "seen from here");
        given().queryParam("name", name).queryParam("type", "txt").get("/dns/resolve").then().statusCode(200)
                .body("status", equalTo("NOERROR"))
                .body("type", equalTo("TXT"))
                .body("records[0].value", equalTo("seen from here"));
        given().queryParam("name", "absent-" + name).queryParam("type", "TXT").get("/dns/resolve").then().statusCode(200)
                .body("status", equalTo("NXDOMAIN"));
        TestDnsResource.server().fail("broken-" + name, Fault.SERVFAIL);
        given().queryParam("name", "broken-" + name).queryParam("type", "TXT").get("/dns/resolve").then().statusCode(424)
                .body("error", containsString("SERVFAIL"));
    }

    @Test
    void resolve_needs_a_name_and_a_known_type() {
        given().get("/dns/resolve").then().statusCode(400).body("error", containsString("'name' is required"));
        given().queryParam("name", "example.com").queryParam("type", "AXFR").get("/dns/resolve").then().statusCode(400);
        given().queryParam("name", "bad..name").get("/dns/resolve").then().statusCode(400);
    }
}
