package io.dnshandling.issuance;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.Management;
import io.dnshandling.certificate.CertificateMetrics;
import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What an issuance tells the outside world: signed webhooks for each status change, and metrics
 * without per-domain labels. Same CA, resolver and DNS servers as {@link IssuanceEndToEndTest}.
 */
@QuarkusTest
@TestProfile(IssuanceEndToEndTest.WithPebble.class)
class IssuanceReportingTest {

    static final Duration ISSUED_WITHIN = IssuanceEndToEndTest.ISSUED_WITHIN;

    @Inject
    OrderMetrics orderMetrics;

    @Inject
    CertificateMetrics certificateMetrics;

    @Test
    void every_status_change_reaches_the_webhook_once_and_signed() {
        RegisteredDomain d = delegatedDomain("webhooks");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        var receiver = AcmeTestBedResource.webhooks();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.about(d.id()).stream().anyMatch(r -> "active".equals(WebhookReceiverEvents.to(r))));
        var events = receiver.about(d.id());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.signatureValid()).as("signature of " + e.id()).isTrue();
            assertThat(e.type()).isEqualTo("domain.status_changed");
            assertThat(Long.parseLong(e.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        });
        assertThat(events.stream().map(WebhookReceiverEvents::to).toList())
                .containsExactly("pending", "verified", "certificate_pending", "active");
        assertThat(events.stream().map(e -> e.id()).distinct()).hasSize(events.size());
    }

    @Test
    void metrics_report_outcomes_durations_ca_requests_expiry_and_open_orders_without_per_domain_labels() {
        RegisteredDomain d = delegatedDomain("metrics");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        orderMetrics.refresh().await().atMost(Duration.ofSeconds(10));
        certificateMetrics.refresh().await().atMost(Duration.ofSeconds(10));
        String metrics = Management.metrics();
        assertThat(metric(metrics, "certificates_issuance_total\\{[^}]*purpose=\"issue\"[^}]*result=\"valid\"[^}]*}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "certificates_issuance_duration_seconds_count\\{[^}]*purpose=\"issue\"[^}]*}")).isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("certificates_issuance_duration_seconds_bucket{");
        assertThat(metric(metrics, "acme_requests_total\\{[^}]*method=\"POST\"[^}]*status=\"201\"[^}]*}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "certificates_expiring\\{within=\"90d\",?}")).isGreaterThanOrEqualTo(1);
        long notAfter = Instant.parse(given().get("/domains/" + d.id() + "/certificate").then().extract().path("expires_at")).getEpochSecond();
        assertThat(metric(metrics, "certificates_soonest_expiry_seconds")).isPositive().isLessThanOrEqualTo(notAfter);
        assertThat(metric(metrics, "acme_orders_open\\{state=\"awaiting_dns\",?}")).isGreaterThanOrEqualTo(0);
        assertThat(metrics).doesNotContain(d.domainName()).doesNotContain(d.id());
    }

    @Test
    void a_certificate_costs_no_directory_read_one_request_to_its_challenge_and_one_read_of_each_authorization() {
        issuedDomain("requests-warm");
        String before = Management.metrics();

        issuedDomain("requests-a");
        issuedDomain("requests-b");
        String after = Management.metrics();
        String directory = caRequests("dir", "GET");
        String challenge = caRequests("chalZ", "POST");
        // The directory is kept for ten minutes: at most one read between, if the ten minutes ran out here.
        assertThat(metric(after, directory) - metric(before, directory)).as("directory reads for two certificates").isLessThanOrEqualTo(1);
        // One name each: the challenge is triggered, not read first.
        assertThat(metric(after, challenge) - metric(before, challenge)).as("challenge requests for two certificates").isEqualTo(2);
        // Each authorization is read once, when the order is opened; validation polls the order
        // instead (one request whatever the number of names). The poll that finds it ready is
        // the read the CSR goes out from; then the order is read until valid (Pebble issues
        // within the first read, 10 ms later) and downloaded from that read. So three reads of
        // either kind a certificate, one more allowed for a slow poll; polling the authorizations
        // and reading the order again before finalizing made at least four.
        String authorization = caRequests("authZ", "POST");
        String order = caRequests("my-order", "POST");
        double authorizationReads = metric(after, authorization) - metric(before, authorization);
        assertThat(authorizationReads).as("authorization reads for two certificates").isEqualTo(2);
        assertThat(authorizationReads + metric(after, order) - metric(before, order))
                .as("authorization and order reads for two certificates").isLessThanOrEqualTo(8);
    }

    /** A delegated domain, issued and active. */
    private static void issuedDomain(String label) {
        RegisteredDomain d = delegatedDomain(label);
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
    }

    /** The series of requests to the CA at {@code endpoint} with {@code method}, every status. */
    private static String caRequests(String endpoint, String method) {
        return "acme_requests_total\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*method=\"" + method + "\"[^}]*}";
    }

    private static double metric(String text, String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            found = true;
        }
        assertThat(found).as("series " + series).isTrue();
        return total;
    }
}
