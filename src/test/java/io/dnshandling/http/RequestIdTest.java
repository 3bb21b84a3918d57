package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.dnshandling.support.Api;
import io.dnshandling.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RequestIdTest {

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start(r -> true);
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void every_response_carries_a_fresh_id() {
        String a = given().get("/domains/0123456789abcdef0123456789abcdef").then().statusCode(404)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}")).extract().header("X-Request-Id");
        String b = given().get("/no/such/route").then().statusCode(404)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}")).extract().header("X-Request-Id");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void a_sane_caller_id_is_kept() {
        given().header("X-Request-Id", "caller-42.abc").get("/domains/0123456789abcdef0123456789abcdef").then()
                .header("X-Request-Id", equalTo("caller-42.abc"));
    }

    @Test
    void an_insane_caller_id_is_replaced() {
        given().header("X-Request-Id", "x".repeat(200)).get("/no/such/route").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
        given().header("X-Request-Id", "evil\tvalue<script>").get("/no/such/route").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void the_id_is_in_the_log_lines_of_its_request() {
        String id = "trace-" + System.nanoTime();
        String name = Api.uniqueDomain("logged");
        given().header("X-Request-Id", id).contentType(ContentType.JSON).body("{\"domain_name\": \"" + name + "\"}")
                .post("/domains").then().statusCode(201).header("X-Request-Id", equalTo(id));
        // The access line is written when the response has ended, which may be just after the client saw it.
        Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(logs.records()).filteredOn(r -> r.getFormattedMessage().contains("registered " + name))
                    .singleElement().satisfies(r -> assertThat(r.getMdc(RequestContextFilter.MDC_KEY)).isEqualTo(id));
            assertThat(logs.records()).filteredOn(r -> "io.dnshandling.access".equals(r.getLoggerName())
                            && r.getFormattedMessage().startsWith("POST /domains -> 201"))
                    .anySatisfy(r -> assertThat(r.getMdc(RequestContextFilter.MDC_KEY)).isEqualTo(id));
        });
    }
}
