package io.dnshandling.delivery;

import static io.dnshandling.delivery.DeliveryTestSupport.activeDomain;
import static io.dnshandling.support.DeliveryTestBedResource.DELIVERY_TOKEN;
import static io.dnshandling.support.DeliveryTestBedResource.MANAGEMENT_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.dnshandling.support.Management;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.LogCapture;
import io.dnshandling.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The on-handshake endpoint as a TLS server, or an attacker, calls it; same service as {@link DeliveryEndToEndTest}. */
@QuarkusTest
@TestProfile(DeliveryTestSupport.WithTerminators.class)
class DeliveryEndpointTest {

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

    @Test
    void the_delivery_token_fetches_the_current_certificate_and_key_and_nothing_else() throws Exception {
        RegisteredDomain d = activeDomain();
        RestAssured.requestSpecification = null; // from here on, only the delivery token
        String pem = given().header("Authorization", "Bearer " + DELIVERY_TOKEN).queryParam("server_name", d.domainName().toUpperCase(Locale.ROOT))
                .get("/tls/certificate").then().statusCode(200).header("Cache-Control", "no-store").extract().asString();
        assertThat(pem).contains("BEGIN CERTIFICATE").contains("PRIVATE KEY");
        assertThat(pem.indexOf("BEGIN CERTIFICATE")).isLessThan(pem.indexOf("PRIVATE KEY"));
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(leaf.getSerialNumber().toString(16)).isEqualTo(DeliveryTestSupport.currentSerial(rows, d.id()));

        given().get("/tls/" + DELIVERY_TOKEN + "/certificate?server_name=" + d.domainName()).then().statusCode(200);
        given().get("/tls/" + DELIVERY_TOKEN + "/certificate?server_name=unknown-" + d.domainName()).then().statusCode(204);
        given().get("/tls/" + DELIVERY_TOKEN + "/certificate?server_name=not a name").then().statusCode(204);

        // The delivery token can do nothing else.
        given().header("Authorization", "Bearer " + DELIVERY_TOKEN).get("/domains/" + d.id()).then().statusCode(403)
                .body("error", equalTo("token 'delivery' does not have the scope domains:read"));
    }

    @Test
    void a_missing_or_wrong_token_gets_401_the_management_token_403_and_none_a_key() {
        RegisteredDomain d = activeDomain();
        RestAssured.requestSpecification = null; // from here on, each call says which token it sends
        given().get("/tls/certificate?server_name=" + d.domainName()).then().statusCode(401)
                .body("error", equalTo("missing or invalid bearer token")).body(not(containsString("PRIVATE KEY")));
        given().header("Authorization", "Bearer " + MANAGEMENT_TOKEN).get("/tls/certificate?server_name=" + d.domainName()).then().statusCode(403)
                .body("error", equalTo("token 'auth-token' does not have the scope certificates:deliver"));
        given().get("/tls/wrong-" + DELIVERY_TOKEN + "/certificate?server_name=" + d.domainName()).then().statusCode(401);
        given().get("/tls/" + MANAGEMENT_TOKEN + "/certificate?server_name=" + d.domainName()).then().statusCode(403);
    }

    @Test
    void the_token_in_the_path_never_reaches_a_log_line_or_a_metric() {
        RegisteredDomain d = activeDomain();
        RestAssured.requestSpecification = null;
        try (LogCapture logs = LogCapture.start(r -> true)) {
            given().get("/tls/" + DELIVERY_TOKEN + "/certificate?server_name=" + d.domainName()).then().statusCode(200);
            given().get("/tls/" + DELIVERY_TOKEN + "x/certificate?server_name=" + d.domainName()).then().statusCode(401);
            assertThat(logs.records()).anySatisfy(r -> assertThat(r.getFormattedMessage()).contains("/tls/<token>/certificate"));
            assertThat(logs.records()).noneSatisfy(r -> assertThat(r.getFormattedMessage()).contains(DELIVERY_TOKEN));
        }
        String metrics = Management.metrics();
        assertThat(metrics).doesNotContain(DELIVERY_TOKEN);
        assertThat(counter(metrics, "tls_key_deliveries_total\\{result=\"served\",?}")).isPositive();
        assertThat(counter(metrics, "tls_key_deliveries_total\\{result=\"unauthorized\",?}")).isPositive();
        // Any target: Quarkus restarts the service between test classes in one JVM, and a gauge
        // registered by an earlier instance under the same name can shadow this one's.
        assertThat(metrics).containsPattern("certificate_deployments\\{[^}]*state=\"synced\"[^}]*target=\"(kubernetes|haproxy):");
    }

    private static double counter(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as(series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void the_delivery_routes_answer_a_method_they_do_not_have_with_405_and_their_allow() {
        for (String path : new String[] {"/tls/certificate", "/tls/" + DELIVERY_TOKEN + "/certificate"}) {
            given().header("Authorization", "Bearer " + DELIVERY_TOKEN).put(path).then().statusCode(405)
                    .header("Allow", equalTo("GET, HEAD, OPTIONS")).body("error", containsString("is not a method of /tls/"));
            given().options(path).then().statusCode(204).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        }
    }
}
