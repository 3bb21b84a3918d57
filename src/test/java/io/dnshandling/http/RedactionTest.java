package io.dnshandling.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void a_delivery_token_in_the_path_is_replaced_in_the_access_log_and_other_paths_are_kept() {
        assertThat(RequestContextFilter.redacted("/tls/s3cret-token/certificate")).isEqualTo("/tls/<token>/certificate");
        assertThat(RequestContextFilter.redacted("/tls/certificate")).isEqualTo("/tls/certificate");
        assertThat(RequestContextFilter.redacted("/domains/abc")).isEqualTo("/domains/abc");
        assertThat(RequestContextFilter.redacted(null)).isNull();
    }
}
