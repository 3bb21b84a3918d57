package io.dnshandling.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.delivery.DeploymentStore.Deployment;
import io.dnshandling.diagnosis.DiagnosisFacts.Certificate;
import io.dnshandling.diagnosis.DiagnosisFacts.Facts;
import io.dnshandling.diagnosis.DiagnosisFacts.Order;
import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.DomainStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sentences of the stored-state checks, for the states the end-to-end tests cannot reach quickly. */
class StateChecksTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final String ID = "a".repeat(32);

    private static Facts active(Certificate c, Order o) {
        return new Facts(ID, "shop.example.com", DomainStatus.ACTIVE, null, "token", "sub", null, c == null ? CertificateState.NONE : c.state(),
                c, o, List.of());
    }

    private static Certificate certificate(CertificateState state, Duration left, String renewalError, Instant revokedAt) {
        return new Certificate(state, "ab12", "https://ca.test/dir", List.of("shop.example.com", "*.shop.example.com"), NOW.plus(left),
                NOW.plus(Duration.ofHours(1)), renewalError, renewalError == null ? 0 : 3, revokedAt, revokedAt == null ? null : "keyCompromise");
    }

    @Test
    void an_expired_certificate_whose_renewal_fails_names_the_error_and_the_way_out() {
        Check c = StateChecks.certificate(active(certificate(CertificateState.EXPIRED, Duration.ofHours(-2), "urn:ietf:params:acme:error:dns: "
                + "NXDOMAIN looking up TXT", null), null), NOW);
        assertThat(c.result()).isEqualTo(Check.Result.PROBLEM);
        assertThat(c.message()).isEqualTo("The certificate for shop.example.com, *.shop.example.com expired at 2026-11-27T10:00:00Z: clients see "
                + "a certificate error. Its renewal is failing (attempt 3): urn:ietf:params:acme:error:dns: NXDOMAIN looking up TXT; the next "
                + "attempt is at 2026-11-27T13:00:00Z. Fix what the error names, or call POST /domains/" + ID + "/issue-certificate.");
    }

    @Test
    void each_certificate_state_has_its_result() {
        assertThat(StateChecks.certificate(active(certificate(CertificateState.VALID, Duration.ofDays(60), null, null), null), NOW).message())
                .endsWith("is valid until 2027-01-26T12:00:00Z (60 days left); its renewal is planned at 2026-11-27T13:00:00Z.");
        assertThat(StateChecks.certificate(active(certificate(CertificateState.RENEWING, Duration.ofDays(20), null, null), null), NOW).result())
                .isEqualTo(Check.Result.OK);
        assertThat(StateChecks.certificate(active(certificate(CertificateState.RENEWING, Duration.ofDays(20), "CA down", null), null), NOW).result())
                .isEqualTo(Check.Result.PROBLEM);
        assertThat(StateChecks.certificate(active(certificate(CertificateState.EXPIRING, Duration.ofHours(30), null, null), null), NOW).message())
                .contains("expires at 2026-11-28T18:00:00Z (30 hours left) and is not renewed yet.");
        assertThat(StateChecks.certificate(active(certificate(CertificateState.REVOKED, Duration.ofDays(60), null, NOW), null), NOW).message())
                .contains("was revoked at 2026-11-27T12:00:00Z (keyCompromise)");
        assertThat(StateChecks.certificate(active(null, null), NOW).message()).contains("No certificate is stored for this active domain");
    }

    @Test
    void an_order_retrying_after_a_ca_problem_says_the_problem_and_when_it_tries_again() {
        Order o = new Order("awaiting_dns", "renewal", 4, "TXT value not visible yet", NOW.plusSeconds(90), NOW.minusSeconds(600), List.of("v"));
        Check c = StateChecks.order(active(certificate(CertificateState.RENEWING, Duration.ofDays(20), null, null), o), NOW).orElseThrow();
        assertThat(c.result()).isEqualTo(Check.Result.PROBLEM);
        assertThat(c.message()).isEqualTo("The renewal order opened at 2026-11-27T11:50:00Z waits for the resolvers to show its challenge value(s) at "
                + "_acme-challenge.shop.example.com (attempt 4). Last problem: TXT value not visible yet. Next step at 2026-11-27T12:01:30Z "
                + "(in 90 seconds). The service retries by itself; the problem says what to fix if it does not pass.");
        Order queued = new Order("queued", "issue", 0, "the ordering budget of 300 new orders per 3h is spent", NOW.plusSeconds(60), NOW, List.of());
        assertThat(StateChecks.order(active(null, queued), NOW).orElseThrow().result()).isEqualTo(Check.Result.OK);
        assertThat(StateChecks.order(active(null, null), NOW)).isEmpty();
    }

    @Test
    void a_target_holding_an_older_certificate_or_failing_is_a_problem() {
        Facts f = active(certificate(CertificateState.VALID, Duration.ofDays(60), null, null), null);
        OffsetDateTime at = NOW.atOffset(ZoneOffset.UTC);
        List<Check> checks = DeliveryFindings.of(f, List.of("kubernetes:web", "haproxy:/run/admin.sock", "kubernetes:api"), List.of(
                new Deployment("kubernetes:web", "synced", "AB12", at, null),
                new Deployment("haproxy:/run/admin.sock", "failed", "ab12", at, "connection refused"),
                new Deployment("kubernetes:api", "synced", "0f", at, null)));
        assertThat(checks).extracting(Check::check).containsExactly("delivery:kubernetes:web", "delivery:haproxy:/run/admin.sock",
                "delivery:kubernetes:api");
        assertThat(checks).extracting(Check::result).containsExactly(Check.Result.OK, Check.Result.PROBLEM, Check.Result.PROBLEM);
        assertThat(checks.get(1).message()).contains("connection refused");
        assertThat(checks.get(2).message()).contains("serial 0f, not the current one (ab12)");
    }
}
