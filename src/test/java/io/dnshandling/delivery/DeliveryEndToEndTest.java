package io.dnshandling.delivery;

import static io.dnshandling.delivery.DeliveryTestSupport.DELIVERED_WITHIN;
import static io.dnshandling.delivery.DeliveryTestSupport.activeDomain;
import static io.dnshandling.delivery.DeliveryTestSupport.caddy;
import static io.dnshandling.delivery.DeliveryTestSupport.currentSerial;
import static io.dnshandling.delivery.DeliveryTestSupport.tls;
import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;
import static io.dnshandling.support.DeliveryTestBedResource.NAMESPACE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.Curl;
import io.dnshandling.support.DeliveryTestBedResource;
import io.dnshandling.support.Rows;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates reach the TLS terminators with no call from anyone: a real Caddy asking the service
 * on each handshake, a real HAProxy fed through its runtime API, and Kubernetes TLS Secrets. No
 * Kubernetes API server can run on these machines: the Secrets live in the mock API server that
 * Quarkus ships for tests ({@code quarkus-test-kubernetes-client}), in CRUD mode.
 */
@QuarkusTest
@TestProfile(DeliveryTestSupport.WithTerminators.class)
class DeliveryEndToEndTest {

    @KubernetesTestServer
    KubernetesServer kubernetes;

    @Inject
    Rows rows;

    @BeforeEach
    void authenticate() {
        DeliveryTestSupport.authenticate();
    }

    @AfterEach
    void forget() {
        DeliveryTestSupport.forget(rows);
    }

    @AfterAll
    static void stopCaddy() {
        DeliveryTestSupport.stopCaddy();
    }

    private int haproxyPort() {
        return DeliveryTestBedResource.haproxy().tlsPort();
    }

    private Secret secretOf(RegisteredDomain d) {
        return kubernetes.getClient().secrets().inNamespace(NAMESPACE).withName(d.domainName() + "-tls").get();
    }

    @Test
    void an_issued_certificate_is_served_by_caddy_and_haproxy_kept_in_a_secret_renewed_in_place_and_withdrawn_on_delete() {
        RegisteredDomain d = activeDomain();
        String first = currentSerial(rows, d.id());
        awaitServedEverywhere(d, first);
        for (int port : new int[] {caddy().port(), haproxyPort()}) {
            Curl.Result curl = Curl.getOverTls(d.domainName(), port, tls().rootPem());
            System.out.println("curl -v through port " + port + ":\n" + curl.verbose());
            assertThat(curl.exitCode()).as(curl.verbose()).isZero();
            assertThat(curl.body()).isEqualTo("ok");
        }

        Secret secret = secretOf(d);
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(decoded(secret, "tls.crt")).isEqualTo(rows.string("SELECT chain_pem FROM certificates WHERE serial = ?", first));
        assertThat(decoded(secret, "tls.key")).contains("PRIVATE KEY");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "dns-handling")
                .containsEntry("dns-handling.io/domain-id", d.id());
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("dns-handling.io/domain-name", d.domainName())
                .containsEntry("dns-handling.io/alt-names", d.domainName()).containsKey("dns-handling.io/not-after");
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Map<String, Object>> deployments = Api.get(d.id()).extract().jsonPath().getList("deployments");
            assertThat(deployments).extracting(m -> m.get("target"))
                    .containsExactlyInAnyOrder("kubernetes:" + NAMESPACE, "haproxy:" + DeliveryTestBedResource.haproxy().adminSocket());
            assertThat(deployments).allSatisfy(m -> assertThat(m).containsEntry("state", "synced").containsEntry("serial", first));
            assertThat(AcmeTestBedResource.webhooks().about(d.id())).filteredOn(e -> e.type().equals("certificate.deployed")).hasSize(2)
                    .allSatisfy(e -> assertThat(e.signatureValid()).isTrue());
        });

        // 20-second certificates renew at half-life: nobody calls anything, both terminators move on.
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> !first.equals(currentSerial(rows, d.id())));
        String renewed = currentSerial(rows, d.id());
        awaitServedEverywhere(d, renewed);
        assertThat(secretOf(d).getMetadata().getName()).isEqualTo(secret.getMetadata().getName());

        given().delete("/domains/" + d.id()).then().statusCode(204);
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() ->
                tls().refuses(caddy().port(), d.domainName()) && tls().refuses(haproxyPort(), d.domainName()) && secretOf(d) == null);
    }

    @Test
    void an_haproxy_restarted_empty_is_refilled_within_a_pass() {
        RegisteredDomain d = activeDomain();
        String serial = currentSerial(rows, d.id());
        awaitServedEverywhere(d, serial);
        // A new HAProxy process holds only what its configuration names (the fallback): runtime
        // changes do not survive it. Whether a pass refills it before this test can look is a race,
        // so the test only waits for it to serve ours again.
        DeliveryTestBedResource.haproxy().restartEmpty();
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> tls().serves(haproxyPort(), d.domainName(), serial));
    }

    @Test
    void a_secret_deleted_or_edited_by_hand_is_put_back_and_a_foreign_one_is_left_alone() {
        Secret foreign = kubernetes.getClient().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("someone-elses-tls").endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", "Zm9yZWlnbg==").addToData("tls.key", "Zm9yZWlnbg==").build()).create();
        RegisteredDomain d = activeDomain();
        String serial = currentSerial(rows, d.id());
        awaitServedEverywhere(d, serial);
        String chain = decoded(secretOf(d), "tls.crt");

        kubernetes.getClient().secrets().inNamespace(NAMESPACE).withName(d.domainName() + "-tls").delete();
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> secretOf(d) != null);

        Secret edited = new SecretBuilder(secretOf(d)).addToData("tls.crt", Base64.getEncoder().encodeToString("edited".getBytes(StandardCharsets.US_ASCII))).build();
        kubernetes.getClient().secrets().inNamespace(NAMESPACE).resource(edited).update();
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> chain.equals(decoded(secretOf(d), "tls.crt")));

        Secret stillForeign = kubernetes.getClient().secrets().inNamespace(NAMESPACE).withName("someone-elses-tls").get();
        assertThat(stillForeign.getData()).isEqualTo(foreign.getData());
        assertThat(stillForeign.getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void a_revoked_certificate_is_withdrawn_from_every_terminator() {
        RegisteredDomain d = activeDomain();
        awaitServedEverywhere(d, currentSerial(rows, d.id()));
        given().contentType("application/json").body("{\"reason\": \"key_compromise\"}")
                .post("/domains/" + d.id() + "/certificate/revoke").then().statusCode(200);
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() ->
                tls().refuses(caddy().port(), d.domainName()) && tls().refuses(haproxyPort(), d.domainName()) && secretOf(d) == null);
    }

    @Test
    void a_name_taken_by_a_foreign_secret_is_a_failed_deployment_with_its_reason_and_the_secret_is_kept() {
        RegisteredDomain d = delegatedDomain("deliver");
        Secret squatter = kubernetes.getClient().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(d.domainName() + "-tls").endMetadata().addToData("note", "Zm9yZWlnbg==").build()).create();
        // A Secret with our label but no domain behind it goes.
        kubernetes.getClient().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("orphan-tls")
                .addToLabels("app.kubernetes.io/managed-by", "dns-handling").addToLabels("dns-handling.io/domain-id", "0".repeat(32))
                .endMetadata().build()).create();
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", DeliveryTestSupport.ISSUED_WITHIN);
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Map<String, Object>> deployments = Api.get(d.id()).extract().jsonPath().getList("deployments");
            assertThat(deployments).filteredOn(m -> m.get("target").equals("kubernetes:" + NAMESPACE)).singleElement().satisfies(m -> {
                assertThat(m).containsEntry("state", "failed");
                assertThat((String) m.get("last_error")).contains("exists and is not managed by this service");
            });
            assertThat(AcmeTestBedResource.webhooks().about(d.id())).anySatisfy(e -> assertThat(e.type()).isEqualTo("certificate.deployment_failed"));
            assertThat(kubernetes.getClient().secrets().inNamespace(NAMESPACE).withName("orphan-tls").get()).isNull();
        });
        assertThat(secretOf(d).getData()).isEqualTo(squatter.getData());
        String serial = currentSerial(rows, d.id());
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).alias("other targets are unaffected")
                .until(() -> tls().serves(haproxyPort(), d.domainName(), serial) && tls().serves(caddy().port(), d.domainName(), serial));
        // The diagnosis names the failing target and its reason, and finds the others holding the current certificate.
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Map<String, String>> checks = given().get("/domains/" + d.id() + "/diagnosis").then().statusCode(200).extract().jsonPath()
                    .getList("checks");
            assertThat(checks).filteredOn(c -> c.get("check").equals("delivery:kubernetes:" + NAMESPACE)).singleElement().satisfies(c -> {
                assertThat(c).containsEntry("result", "problem");
                assertThat(c.get("message")).startsWith("Delivery to kubernetes:" + NAMESPACE + " is failing: ")
                        .contains("exists and is not managed by this service");
            });
            assertThat(checks).filteredOn(c -> c.get("check").startsWith("delivery:") && !c.get("check").equals("delivery:kubernetes:" + NAMESPACE))
                    .isNotEmpty().allSatisfy(c -> assertThat(c).containsEntry("result", "ok"));
        });
    }

    private void awaitServedEverywhere(RegisteredDomain d, String serial) {
        Awaitility.await().atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() ->
                tls().serves(caddy().port(), d.domainName(), serial)
                        && tls().serves(haproxyPort(), d.domainName(), serial)
                        && secretOf(d) != null && serial.equals(secretOf(d).getMetadata().getAnnotations().get("dns-handling.io/serial")));
    }

    private static String decoded(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII);
    }
}
