package io.dnshandling.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json: every line of the packaged service's log is one JSON object, the request id in it. */
class JsonLogIT {

    @Test
    void every_line_is_json_and_a_request_s_lines_carry_its_id() throws Exception {
        List<String> lines;
        try (ServiceProcess service = ServiceProcess.start("json-log", Map.of("LOG_FORMAT", "json"))) {
            new ServiceClient(service).request().header("X-Request-Id", "json-log-test-1").get("/domains").then().statusCode(200);
            service.terminate(java.time.Duration.ofSeconds(20));
            lines = Files.readAllLines(service.log()).stream().filter(l -> !l.isBlank()).toList();
        }
        ObjectMapper json = new ObjectMapper();
        assertThat(lines).isNotEmpty();
        boolean accessLine = false;
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            assertThat(entry.has("message") && entry.has("level") && entry.has("timestamp")).as(line).isTrue();
            if (entry.path("loggerName").asText().equals("io.dnshandling.access")) {
                assertThat(entry.path("mdc").path("request_id").asText()).isEqualTo("json-log-test-1");
                accessLine = true;
            }
        }
        assertThat(accessLine).as("the access-log line of the request").isTrue();
    }
}
