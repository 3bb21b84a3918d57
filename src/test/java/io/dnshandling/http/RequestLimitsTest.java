package io.dnshandling.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The HTTP layer's refusals look like every other error: {"error": …} and an X-Request-Id. */
@QuarkusTest
class RequestLimitsTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_uri_over_the_limit_is_414_with_the_error_body() {
        given().get("/domains/" + "a".repeat(5000)).then().statusCode(414)
                .contentType(ContentType.JSON)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"))
                .body("error", containsString("URI longer than 4096"));
        given().get("/domains?cursor=" + "x".repeat(4090)).then().statusCode(414);
    }

    @Test
    void headers_over_the_limit_are_431_with_the_error_body() {
        given().header("X-Padding", "p".repeat(21 * 1024)).get("/domains").then().statusCode(431)
                .contentType(ContentType.JSON)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"))
                .body("error", containsString("headers larger than"));
        given().header("X-Padding", "p".repeat(8 * 1024)).get("/domains").then().statusCode(200);
    }

    @Test
    void a_declared_length_far_over_the_limit_is_413_with_the_error_body_and_the_connection_closes() throws IOException {
        String response = exchange("POST /domains HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5000000000\r\n\r\n{\"domain_name\": \"");
        assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
                .containsPattern("(?i)x-request-id: [0-9a-f]{32}").contains("{\"error\":\"request body too large\"}");
    }

    @Test
    void a_request_over_the_decoders_outer_bound_is_still_refused_and_the_service_goes_on() throws IOException {
        // Past 64 KiB the HTTP decoder answers itself, without the body; the service is unharmed.
        String response = exchange("GET /domains/" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response).matches("(?s)HTTP/1\\.[01] 414 .*");
        given().get("/domains").then().statusCode(200);
    }

    /** Writes {@code head} on a fresh connection and reads until the server closes it. */
    private String exchange(String head) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                got.write(buffer, 0, n);
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
