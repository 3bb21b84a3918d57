package io.dnshandling.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSigningTest {

    static final byte[] SECRET = "webhook-secret".getBytes(StandardCharsets.UTF_8);
    static final String BODY = "{\"domain_id\":\"d1\",\"to\":\"active\"}";

    @Test
    void a_captured_request_replayed_under_another_id_or_type_fails_verification() {
        String signed = WebhookRequests.signature(SECRET, "1700000000", "event-1", "domain.status_changed", BODY);
        assertThat(signed).matches("[0-9a-f]{64}");
        assertThat(WebhookRequests.signature(SECRET, "1700000000", "event-1", "domain.status_changed", BODY)).isEqualTo(signed);
        assertThat(WebhookRequests.signature(SECRET, "1700000000", "event-2", "domain.status_changed", BODY)).isNotEqualTo(signed);
        assertThat(WebhookRequests.signature(SECRET, "1700000000", "event-1", "domain.deleted", BODY)).isNotEqualTo(signed);
        assertThat(WebhookRequests.signature(SECRET, "1700000001", "event-1", "domain.status_changed", BODY)).isNotEqualTo(signed);
        assertThat(WebhookRequests.signature(SECRET, "1700000000", "event-1", "domain.status_changed", BODY + " ")).isNotEqualTo(signed);
    }

    @Test
    void webhook_urls_are_https_or_http_to_this_machine_only() {
        assertThatCode(() -> WebhookRequests.checkUrl("https://hooks.example.com/dns")).doesNotThrowAnyException();
        assertThatCode(() -> WebhookRequests.checkUrl("http://127.0.0.1:8081/hook")).doesNotThrowAnyException();
        assertThatCode(() -> WebhookRequests.checkUrl("http://localhost/hook")).doesNotThrowAnyException();
        assertThatThrownBy(() -> WebhookRequests.checkUrl("http://user:pw@hooks.example.com/dns?key=1"))
                .hasMessageContaining("must be https").hasMessageNotContaining("pw").hasMessageNotContaining("key=1");
        assertThatThrownBy(() -> WebhookRequests.checkUrl("ftp://hooks.example.com/")).hasMessageContaining("must be https");
    }

    @Test
    void errors_and_logs_show_only_scheme_host_and_port() {
        assertThat(WebhookRequests.redacted("https://user:secret@hooks.example.com:8443/path/token123?sig=abc"))
                .isEqualTo("https://hooks.example.com:8443/…");
        assertThat(WebhookRequests.redacted("not a url")).isEqualTo("<invalid URL>");
    }
}
