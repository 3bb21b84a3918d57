package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.acme.CertificateAuthority.Issued;
import io.dnshandling.acme.CertificateAuthority.Polled;
import io.dnshandling.acme.CertificateAuthority.Window;
import io.dnshandling.acme.CertificateKeys;
import io.dnshandling.acme.WorkerThreads;
import io.dnshandling.issuance.StepOutcome.Advance;
import io.dnshandling.issuance.StepOutcome.Fail;
import io.dnshandling.issuance.StepOutcome.Finalized;
import io.dnshandling.issuance.StepOutcome.Retry;
import io.dnshandling.issuance.StepOutcome.Stored;
import io.dnshandling.certificate.CertificateStore;
import io.dnshandling.issuance.StepOutcome.Triggered;
import io.dnshandling.secrets.KeyVault;
import io.dnshandling.support.AcmeProblems;
import io.dnshandling.support.TestCertificates;
import io.vertx.mutiny.core.Vertx;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Status;

/** The order state machine, one step at a time, against a fake CA and a fixed clock. */
class OrderStepsTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Vertx VERTX = Vertx.vertx();

    final FakeCa ca = new FakeCa();
    final FakeOrderRecords records = new FakeOrderRecords();
    final FakeVisibility dns = new FakeVisibility();
    final KeyVault vault = new KeyVault(List.of(randomKey()));
    OrderSteps steps;

    @BeforeEach
    void setUp() {
        steps = new OrderSteps(records, directory -> ca, dns, new WorkerThreads(VERTX), vault, Clock.fixed(NOW, ZoneOffset.UTC),
                new OrderSteps.Settings(0.33, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    }

    @AfterAll
    static void closeVertx() {
        VERTX.closeAndAwait();
    }

    @Test
    void awaiting_dns_waits_for_our_own_server_before_asking_any_resolver() {
        records.challenges = List.of(challenge("pending"));
        dns.ownZone = false;
        StepOutcome outcome = step(order(OrderState.AWAITING_DNS, 1));
        assertThat(outcome).isEqualTo(new Retry(OrderSteps.OWN_ZONE_RETRY, "waiting for the DNS server to publish the challenge values"));
        assertThat(dns.asked).isZero();
        assertThat(ca.triggered).isEmpty();
    }

    @Test
    void awaiting_dns_triggers_every_challenge_once_all_values_are_visible() {
        records.challenges = List.of(challenge("pending"), new Challenge("c2", "https://ca.test/authz/2", "https://ca.test/chall/2",
                "_acme-challenge.www.shop.example.", "v2", "pending"));
        StepOutcome outcome = step(order(OrderState.AWAITING_DNS, 1));
        assertThat(outcome).isEqualTo(new Triggered(OrderSteps.POLL.first()));
        assertThat(ca.triggered).containsExactly("https://ca.test/chall/1", "https://ca.test/chall/2");
    }

    @Test
    void awaiting_dns_retries_with_backoff_until_the_txt_deadline_then_fails_naming_the_value() {
        records.challenges = List.of(challenge("pending"));
        dns.visible = false;
        StepOutcome early = step(order(OrderState.AWAITING_DNS, 3));
        assertThat(early).isInstanceOf(Retry.class);
        assertThat(((Retry) early).after()).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
        assertThat(((Retry) early).why()).contains("_acme-challenge.shop.example.").contains("\"v1\"");

        ClaimedOrder late = withTxtDeadline(order(OrderState.AWAITING_DNS, 9), NOW.minusSeconds(1));
        assertThat(step(late)).isEqualTo(new Fail("TXT _acme-challenge.shop.example. with value \"v1\" was not visible through the resolvers within 300 s"));
        assertThat(ca.triggered).isEmpty();
    }

    @Test
    void awaiting_dns_with_nothing_left_to_prove_moves_straight_to_validating() {
        records.challenges = List.of(challenge("triggered"));
        assertThat(step(order(OrderState.AWAITING_DNS, 1))).isEqualTo(new Advance(OrderState.VALIDATING, Duration.ZERO));
    }

    @Test
    void validating_polls_the_order_and_finalizes_a_ready_one_without_reading_it_again() throws Exception {
        ca.order = new Polled(Status.PENDING, Optional.of(NOW.plusSeconds(3)), Optional.empty());
        assertThat(step(order(OrderState.VALIDATING, 1))).isEqualTo(new Retry(Duration.ofSeconds(3), "waiting for the CA to validate"));
        assertThat(ca.finalizedWith).isEmpty();

        ca.order = FakeCa.polled(Status.READY);
        assertThat(step(order(OrderState.VALIDATING, 1))).isEqualTo(new Finalized());
        // One read of the order per step, the CSR sent from it; no authorization read at all.
        assertThat(ca.orderReads).isEqualTo(2);
        assertThat(ca.authorizationReads).isZero();
        KeyPair kept = CertificateKeys.fromPem(vault.decrypt(records.savedKey, OrderSteps.keyAt("o1")));
        assertThat(ca.finalizedWith).singleElement().satisfies(k -> assertThat(k.getPublic()).isEqualTo(kept.getPublic()));
    }

    @Test
    void validating_an_order_already_past_ready_sends_no_csr_and_leaves_it_to_the_finalizing_step() {
        for (Status past : List.of(Status.PROCESSING, Status.VALID)) {
            ca.order = FakeCa.polled(past);
            assertThat(step(order(OrderState.VALIDATING, 1))).isEqualTo(new Advance(OrderState.FINALIZING, Duration.ZERO));
        }
        assertThat(ca.finalizedWith).isEmpty();
        assertThat(records.savedKey).isNull();
    }

    @Test
    void validating_an_invalid_order_names_the_authorization_the_ca_could_not_validate() {
        records.challenges = List.of(challenge("triggered"));
        ca.order = new Polled(Status.INVALID, Optional.empty(), Optional.of("an authorization failed"));
        ca.authorizations.put("https://ca.test/authz/1", new Polled(Status.INVALID, Optional.empty(), Optional.of("NXDOMAIN looking up TXT")));
        assertThat(step(order(OrderState.VALIDATING, 1)))
                .isEqualTo(new Fail("the CA could not validate _acme-challenge.shop.example.: NXDOMAIN looking up TXT"));

        // Every authorization valid, yet the order invalid (expired, say): the order's own problem.
        ca.authorizations.put("https://ca.test/authz/1", FakeCa.polled(Status.VALID));
        assertThat(step(order(OrderState.VALIDATING, 1))).isEqualTo(new Fail("the CA ended the order: an authorization failed"));
        assertThat(ca.finalizedWith).isEmpty();
    }

    @Test
    void finalizing_keeps_a_fresh_key_before_the_csr_goes_out() throws Exception {
        ca.order = FakeCa.polled(Status.READY);
        assertThat(step(order(OrderState.FINALIZING, 1))).isEqualTo(new Finalized());
        assertThat(records.savedKey).startsWith("v2:").doesNotContain("PRIVATE KEY");
        KeyPair kept = CertificateKeys.fromPem(vault.decrypt(records.savedKey, OrderSteps.keyAt(order(OrderState.FINALIZING, 1).id())));
        assertThat(ca.finalizedWith).singleElement().satisfies(k -> assertThat(k.getPublic()).isEqualTo(kept.getPublic()));
    }

    @Test
    void a_repeated_finalize_reuses_the_kept_key_and_never_sends_a_second_csr() throws Exception {
        KeyPair key = CertificateKeys.EC_P256.generate();
        ClaimedOrder again = withKey(order(OrderState.FINALIZING, 2), vault.encrypt(CertificateKeys.toPem(key), OrderSteps.keyAt(order(OrderState.FINALIZING, 2).id())));
        ca.order = FakeCa.polled(Status.READY);
        assertThat(step(again)).isEqualTo(new Finalized());
        assertThat(ca.finalizedWith).singleElement().satisfies(k -> assertThat(k.getPublic()).isEqualTo(key.getPublic()));
        assertThat(records.savedKey).isNull();

        ca.order = FakeCa.polled(Status.PROCESSING);
        assertThat(step(again)).isEqualTo(new Finalized());
        assertThat(ca.finalizedWith).hasSize(1);
    }

    @Test
    void a_lost_claim_sends_no_csr() {
        ca.order = FakeCa.polled(Status.READY);
        records.saveSucceeds = false;
        assertThat(step(order(OrderState.FINALIZING, 1))).isInstanceOf(Retry.class);
        assertThat(ca.finalizedWith).isEmpty();
    }

    @Test
    void downloading_stores_the_certificate_with_its_renewal_planned_in_the_cas_window() throws Exception {
        var leaf = TestCertificates.selfSigned("shop.example", NOW.minusSeconds(60), NOW.plus(Duration.ofDays(90)));
        Instant windowStart = NOW.plus(Duration.ofDays(60));
        ca.order = FakeCa.polled(Status.VALID);
        ca.issued = new Issued("PEM", leaf, Optional.of(new Window(windowStart, windowStart.plus(Duration.ofDays(2)))));
        ClaimedOrder o = withKey(order(OrderState.DOWNLOADING, 1), vault.encrypt("KEY", OrderSteps.keyAt("o1")));
        StepOutcome outcome = step(o);
        assertThat(outcome).isInstanceOf(Stored.class);
        var stored = ((Stored) outcome).certificate();
        // The key is sealed anew for the certificate's own row, and only there does it open.
        assertThat(vault.decrypt(stored.keyPem(), CertificateStore.keyAt(stored.id()))).isEqualTo("KEY");
        assertThatThrownBy(() -> vault.decrypt(stored.keyPem(), OrderSteps.keyAt("o1"))).hasMessageContaining("moved from another row");
        assertThat(stored.serial()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(stored.notAfter().toInstant()).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(stored.renewalSource()).isEqualTo("ari");
        assertThat(stored.renewAt().toInstant()).isBetween(windowStart, windowStart.plus(Duration.ofDays(2)));
    }

    @Test
    void downloading_waits_while_the_ca_is_still_processing() {
        ca.order = FakeCa.polled(Status.PROCESSING);
        assertThat(step(order(OrderState.DOWNLOADING, 1))).isInstanceOf(Retry.class);
        assertThat(ca.downloads).isZero();
    }

    @Test
    void an_order_past_its_deadline_fails_with_its_last_error() {
        ClaimedOrder late = new ClaimedOrder("o1", "t", "d1", "shop.example", "sub", "https://ca.test/order/1", OrderState.VALIDATING, 5,
                utc(NOW.minusSeconds(60)), utc(NOW.minusSeconds(1)), null, "waiting for the CA to validate", "issue", null, utc(NOW), "https://ca.test/directory");
        assertThat(step(late)).isEqualTo(new Fail("the order did not complete in time; last error: waiting for the CA to validate"));
    }

    @Test
    void a_final_answer_from_the_ca_fails_the_order_and_anything_else_is_retried() {
        ca.order = FakeCa.polled(Status.READY);
        ca.failure = AcmeProblems.serverError("urn:ietf:params:acme:error:rejectedIdentifier", "no certificates for this name");
        assertThat(step(order(OrderState.FINALIZING, 1)))
                .isEqualTo(new Fail("the CA refused: no certificates for this name (urn:ietf:params:acme:error:rejectedIdentifier)"));

        ca.failure = AcmeProblems.serverError("urn:ietf:params:acme:error:serverInternal", "try later");
        StepOutcome retried = step(order(OrderState.FINALIZING, 3));
        assertThat(retried).isInstanceOf(Retry.class);
        assertThat(((Retry) retried).after()).isBetween(Duration.ofMillis(3200), Duration.ofSeconds(4));
    }

    private StepOutcome step(ClaimedOrder o) {
        return steps.step(o).await().atMost(Duration.ofSeconds(10));
    }

    static ClaimedOrder order(OrderState state, int attempts) {
        return new ClaimedOrder("o1", "t", "d1", "shop.example", "sub", "https://ca.test/order/1", state, attempts,
                utc(NOW.plusSeconds(300)), utc(NOW.plusSeconds(2100)), null, null, "issue", null, utc(NOW.minusSeconds(60)), "https://ca.test/directory");
    }

    static ClaimedOrder withKey(ClaimedOrder o, String keyPem) {
        return new ClaimedOrder(o.id(), o.token(), o.domainId(), o.domainName(), o.projectSubdomain(), o.orderUrl(), o.state(),
                o.attempts(), o.txtDeadline(), o.deadline(), keyPem, o.lastError(), o.purpose(), o.replacesCertificateId(), o.createdAt(),
                o.directory());
    }

    static ClaimedOrder withTxtDeadline(ClaimedOrder o, Instant txtDeadline) {
        return new ClaimedOrder(o.id(), o.token(), o.domainId(), o.domainName(), o.projectSubdomain(), o.orderUrl(), o.state(),
                o.attempts(), utc(txtDeadline), o.deadline(), o.keyPem(), o.lastError(), o.purpose(), o.replacesCertificateId(), o.createdAt(),
                o.directory());
    }

    static Challenge challenge(String state) {
        return new Challenge("c1", "https://ca.test/authz/1", "https://ca.test/chall/1", "_acme-challenge.shop.example.", "v1", state);
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
