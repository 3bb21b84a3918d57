package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.support.AcmeTestBed;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.FreePorts;
import io.dnshandling.support.ServiceClient;
import io.dnshandling.support.ServiceProcess;
import io.dnshandling.support.TestDatabase;
import io.dnshandling.support.TestDnsResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order in flight survives {@code kill -9} of the service: after a restart it completes, with
 * one certificate. A replica killed in the middle of a step leaves its claim's lease to run out
 * first: these replicas lease for 10 s ({@code ACME_CLAIM_LEASE}), a third of the default, and the
 * order completes sooner than the default lease would have allowed.
 */
class IssuanceRestartIT {

    static int dnsPort;
    static AcmeTestBed bed;

    @BeforeAll
    static void startWorld() {
        dnsPort = FreePorts.udpAndTcp();
        bed = AcmeTestBed.start(dnsPort, Map.of(), 90L * 24 * 3600);
    }

    @AfterAll
    static void stopWorld() {
        bed.close();
    }

    /**
     * Every replica of this class also knows the rotated key: the replica that rotates re-encrypts
     * the shared rows (this class's ACME account among them) under it, and the others must still
     * read them; with the %test key first they re-encrypt them back.
     */
    private static ServiceProcess service(String name) {
        return service(name, Map.of("KEY_ENCRYPTION_KEY", OLD_KEY + "," + NEW_KEY));
    }

    private static ServiceProcess service(String name, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(bed.serviceEnvironment());
        env.put("DNS_SERVER_PORT", String.valueOf(dnsPort));
        env.put("ACME_TXT_TIMEOUT", "2m");
        env.put("ACME_CLAIM_LEASE", LEASE.toSeconds() + "s");
        env.putAll(extra);
        return ServiceProcess.start(name, env);
    }

    /** The claims' lease of these replicas; the default is 30 s. */
    static final Duration LEASE = Duration.ofSeconds(10);

    /** The %test key, and a new one rotated in front of it. */
    static final String OLD_KEY = "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=";
    static final String NEW_KEY = java.util.Base64.getEncoder().encodeToString("rotated-key-for-restart-test-123".getBytes());

    @Test
    void an_order_waiting_for_dns_completes_after_the_service_is_killed_and_restarted() throws Exception {
        RegisteredDomain d;
        String txt;
        try (ServiceProcess first = service("restart-before")) {
            ServiceClient api = new ServiceClient(first);
            d = api.register("killed-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
            TestDnsResource.server().txt(d.challengeName(), d.token());
            api.verifyDelegated(d.id());
            txt = api.issue(d.id()).statusCode(202).extract().path("expected_txt_value");
            first.kill();
        }
        // Published while no replica runs: only the table remembers the order. The replica that
        // takes over has rotated its key-encryption key: new writes use the new key, and the
        // account key written under the old one must still read for the order to complete.
        TestDnsResource.server().txt(d.challengeName(), txt);
        try (ServiceProcess second = service("restart-after", Map.of("KEY_ENCRYPTION_KEY", NEW_KEY + "," + OLD_KEY))) {
            ServiceClient api = new ServiceClient(second);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "active".equals(api.status(d.id())));
            api.request().get("/domains/" + d.id() + "/certificate").then().statusCode(200);
        }
        assertThat(count("SELECT count(*) FROM certificates WHERE domain_id = ?", d.id())).isEqualTo(1);
        assertThat(string("SELECT private_key_pem FROM certificates WHERE domain_id = ?", d.id()))
                .startsWith("v2:").doesNotContain("PRIVATE KEY");
    }

    static String string(String sql, String arg) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void a_delegated_order_killed_at_any_step_completes_once_after_restart() throws Exception {
        RegisteredDomain d;
        try (ServiceProcess first = service("restart-midflight")) {
            ServiceClient api = new ServiceClient(first);
            d = api.register("midflight-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
            TestDnsResource.server().cname(d.challengeName(), "_acme-challenge." + d.projectSubdomain() + "." + AcmeTestBed.ZONE + ".");
            api.verifyDelegated(d.id());
            api.issue(d.id()).statusCode(202);
            // Killed while the reconciler is somewhere between DNS, validation, finalization and download.
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !"awaiting_dns".equals(orderState(d.id())));
            first.kill();
        }
        Instant killed = Instant.now();
        // A claim the dead replica held runs out after this replica's lease, not the default's.
        assertThat(count("SELECT count(*) FROM acme_orders WHERE domain_id = ? AND next_attempt_at > now() + interval '"
                + LEASE.toSeconds() + " seconds'", d.id())).isZero();
        try (ServiceProcess second = service("restart-midflight-after")) {
            ServiceClient api = new ServiceClient(second);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "active".equals(api.status(d.id())));
        }
        assertThat(Duration.between(killed, Instant.now())).as("completed after the kill within").isLessThan(Duration.ofSeconds(30));
        assertThat(count("SELECT count(*) FROM certificates WHERE domain_id = ?", d.id())).isEqualTo(1);
    }

    @Test
    void a_lease_too_short_stops_the_start_with_the_setting_to_fix() throws Exception {
        assertThatThrownBy(() -> service("restart-short-lease", Map.of("ACME_CLAIM_LEASE", "5s"))).hasMessageContaining("exited early");
        assertThat(Files.readString(Path.of("target/it-logs/restart-short-lease.log")))
                .contains("ACME_CLAIM_LEASE must be at least 10s, not 5000ms");
    }

    static String orderState(String domainId) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT state FROM acme_orders WHERE domain_id = ?")) {
            ps.setString(1, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static long count(String sql, String arg) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Connection db() throws Exception {
        return TestDatabase.open();
    }
}
