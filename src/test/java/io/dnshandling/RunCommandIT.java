package io.dnshandling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.support.FreePorts;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The run command with no CA configured, as a newcomer starts it: it brings up a local ACME world
 * (Pebble, a customer zone open to dynamic updates, unbound), and the README's walk-through goes
 * all the way: register, one CNAME through nsupdate, verify, issue, active, chain downloaded.
 */
class RunCommandIT {

    @Test
    void with_no_ca_configured_the_run_command_issues_a_certificate_end_to_end() throws Exception {
        int http = FreePorts.udpAndTcp();
        int management = FreePorts.udpAndTcp();
        int dns = FreePorts.udpAndTcp();
        int pebble = FreePorts.udpAndTcp();
        int bind = FreePorts.udpAndTcp();
        int unbound = FreePorts.udpAndTcp();
        Path log = Path.of("target/it-logs/run-command.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("scripts/run.sh").redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("ACME_DIRECTORY");
        env.putAll(Map.of("QUARKUS_HTTP_PORT", String.valueOf(http), "QUARKUS_MANAGEMENT_PORT", String.valueOf(management),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "DNS_SERVER_HOST", "127.0.0.1", "DNS_SERVER_PORT", String.valueOf(dns),
                "LOCAL_PEBBLE_PORT", String.valueOf(pebble), "LOCAL_BIND_PORT", String.valueOf(bind), "LOCAL_UNBOUND_PORT", String.valueOf(unbound),
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:5432/dnshandling_test"));
        Process run = pb.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(run.isAlive()).as("scripts/run.sh is running; see " + log).isTrue();
                        try {
                            return given().port(management).get("/q/health/ready").statusCode() == 200;
                        } catch (Exception notYet) {
                            return false;
                        }
                    });
            assertThat(Files.readString(log)).contains("using a local test CA");
            String token = Files.readString(Path.of(".local/api-token")).strip();
            RequestSpecification api = given().port(http).header("Authorization", "Bearer " + token).contentType(ContentType.JSON);

            String name = "w" + UUID.randomUUID().toString().substring(0, 8) + ".shop.example.com";
            var registered = api.body("{\"domain_name\": \"" + name + "\"}").post("/domains").then().statusCode(201).extract().jsonPath();
            String id = registered.getString("id");
            nsupdate(bind, "update add _acme-challenge." + name + ". 60 CNAME _acme-challenge." + registered.getString("project_subdomain")
                    + ".dns-handling.localhost.");
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().port(http).header("Authorization", "Bearer " + token).post("/domains/" + id + "/verify").statusCode() == 200);
            Instant issued = Instant.now();
            given().port(http).header("Authorization", "Bearer " + token).post("/domains/" + id + "/issue-certificate").then().statusCode(202);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "active".equals(given().port(http).header("Authorization", "Bearer " + token).get("/domains/" + id)
                            .then().extract().path("status")));
            System.out.printf("run command: issue-certificate to active in %d ms%n", Duration.between(issued, Instant.now()).toMillis());
            String chain = given().port(http).header("Authorization", "Bearer " + token).get("/domains/" + id + "/certificate/chain")
                    .then().statusCode(200).extract().asString();
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
            assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + name);
            assertThat(leaf.getIssuerX500Principal().getName()).contains("Pebble");
        } finally {
            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("scripts/run.sh stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("dns-handling stopped");
    }

    /** The customer's one DNS change, as the README shows it: nsupdate with the local zone's key. */
    private static void nsupdate(int port, String update) throws Exception {
        Process p = new ProcessBuilder("nsupdate", "-k", new File(".local/acme-world/tsig.conf").getAbsolutePath()).redirectErrorStream(true).start();
        p.getOutputStream().write(("server 127.0.0.1 " + port + "\n" + update + "\nsend\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nsupdate: " + out).isZero();
    }
}
