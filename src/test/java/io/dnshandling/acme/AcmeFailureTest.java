package io.dnshandling.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeProblems;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;

class AcmeFailureTest {

    static final String ACME = "urn:ietf:params:acme:error:";

    @Test
    void a_problem_document_of_the_ca_is_final_in_the_cas_own_words() {
        AcmeFailure f = AcmeFailure.of(AcmeProblems.serverError(ACME + "rejectedIdentifier", "policy forbids issuing for this name"));
        assertThat(f.permanent()).isTrue();
        assertThat(f.retryAfter()).isEmpty();
        assertThat(f.reason()).isEqualTo("the CA refused: policy forbids issuing for this name (" + ACME + "rejectedIdentifier)");
    }

    @Test
    void server_internal_and_bad_nonce_are_worth_another_try() {
        for (String type : List.of("serverInternal", "badNonce")) {
            AcmeFailure f = AcmeFailure.of(AcmeProblems.serverError(ACME + type, "busy"));
            assertThat(f.permanent()).as(type).isFalse();
            assertThat(f.reason()).as(type).isEqualTo("busy (" + ACME + type + ")");
        }
    }

    @Test
    void a_rate_limit_is_retried_after_the_time_the_ca_names() {
        Instant after = Instant.parse("2026-03-01T13:00:00Z");
        AcmeFailure f = AcmeFailure.of(new AcmeRateLimitedException(AcmeProblems.problem(ACME + "rateLimited", "too many new orders"),
                after, List.of()));
        assertThat(f.permanent()).isFalse();
        assertThat(f.retryAfter()).contains(after);
        assertThat(f.reason()).startsWith("rate limited: too many new orders");
    }

    @Test
    void network_failures_protocol_surprises_and_anything_else_are_retried_and_say_why() {
        AcmeFailure network = AcmeFailure.of(new AcmeNetworkException(new SocketTimeoutException("connect timed out")));
        assertThat(network.permanent()).isFalse();
        assertThat(network.reason()).startsWith("could not reach the CA:").contains("connect timed out");

        AcmeFailure protocol = AcmeFailure.of(new AcmeException("HTTP 503"));
        assertThat(protocol.permanent()).isFalse();
        assertThat(protocol.reason()).isEqualTo("ACME request failed: HTTP 503");

        AcmeFailure other = AcmeFailure.of(new IllegalStateException("claim lost"));
        assertThat(other.permanent()).isFalse();
        assertThat(other.reason()).isEqualTo("unexpected error: claim lost");
    }

    @Test
    void a_lazy_loading_wrapper_is_judged_by_what_it_wraps() {
        var wrapped = new AcmeLazyLoadingException(Order.class, url(), AcmeProblems.serverError(ACME + "unauthorized", "account deactivated"));
        assertThat(AcmeFailure.of(wrapped).permanent()).isTrue();
    }

    @Test
    void api_callers_read_one_wording_for_a_refusal_and_for_an_outage() {
        assertThat(CaException.of("the order", AcmeProblems.serverError(ACME + "rejectedIdentifier", "no")).getMessage())
                .isEqualTo("the ACME CA refused the order: no (" + ACME + "rejectedIdentifier)");
        assertThat(CaException.of("the revocation", new AcmeNetworkException(new IOException("refused"))).getMessage())
                .startsWith("the ACME CA could not be used: could not reach the CA:");
    }

    private static URL url() {
        try {
            return URI.create("https://ca.test/acme/order/1").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
