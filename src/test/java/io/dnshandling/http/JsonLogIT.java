package io.dnshandling.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * LOG_FORMAT=json: every line of the packaged service's log is one JSON object with the request id;
 * with an OTLP endpoint, the trace id too, and the spans reach the endpoint. Without one, no
 * tracing at all.
 */
class JsonLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_line_is_json_and_a_request_s_lines_carry_its_id_and_no_trace_without_an_endpoint() throws Exception {
        JsonNode access = accessLine(Map.of(), "json-log-test-1");
        assertThat(access.path("mdc").path("request_id").asText()).isEqualTo("json-log-test-1");
        assertThat(access.path("mdc").has("traceId")).as("no tracing without an endpoint").isFalse();
    }

    @Test
    void with_an_otlp_endpoint_requests_are_traced_and_their_lines_carry_the_trace_id() throws Exception {
        AtomicInteger exports = new AtomicInteger();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (body.length > 0 && "POST".equals(exchange.getRequestMethod())) {
                exports.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort());
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
            env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
            JsonNode access = accessLine(env, "json-log-test-2", () -> Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> exports.get() > 0));
            assertThat(access.path("mdc").path("request_id").asText()).isEqualTo("json-log-test-2");
            assertThat(access.path("mdc").path("traceId").asText()).matches("[0-9a-f]{32}");
        } finally {
            collector.stop(0);
        }
    }

    private static JsonNode accessLine(Map<String, String> extra, String requestId) throws Exception {
        return accessLine(extra, requestId, () -> { });
    }

    /** Starts the packaged service with LOG_FORMAT=json, makes one request, stops it; that request's access-log line. */
    private static JsonNode accessLine(Map<String, String> extra, String requestId, Runnable whileRunning) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("LOG_FORMAT", "json");
        List<String> lines;
        try (ServiceProcess service = ServiceProcess.start("json-log-" + requestId, env)) {
            new ServiceClient(service).request().header("X-Request-Id", requestId).get("/domains").then().statusCode(200);
            whileRunning.run();
            service.terminate(Duration.ofSeconds(20));
            lines = Files.readAllLines(service.log()).stream().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).isNotEmpty();
        JsonNode access = null;
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.has("message") && entry.has("level") && entry.has("timestamp")).as(line).isTrue();
            if (entry.path("loggerName").asText().equals("io.dnshandling.access") && entry.path("message").asText().contains("GET /domains ")) {
                access = entry;
            }
        }
        assertThat(access).as("the access-log line of the request").isNotNull();
        return access;
    }
}
