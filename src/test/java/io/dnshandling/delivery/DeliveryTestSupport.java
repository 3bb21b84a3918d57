package io.dnshandling.delivery;

import static io.dnshandling.support.Issuance.awaitStatus;
import static io.dnshandling.support.Issuance.delegatedDomain;
import static io.dnshandling.support.Issuance.issue;

import io.dnshandling.support.AcmeTestBedResource;
import io.dnshandling.support.Api.RegisteredDomain;
import io.dnshandling.support.CaddyServer;
import io.dnshandling.support.DeliveryTestBedResource;
import io.dnshandling.support.KubernetesCrudServer;
import io.dnshandling.support.PebbleServer;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TlsProbe;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the delivery tests share: the profile, a Caddy pointed at the service, a TLS client, an active domain. */
final class DeliveryTestSupport {

    static final Duration ISSUED_WITHIN = Duration.ofSeconds(30);
    /** Long enough for a pass (1 s apart here) and a handshake to see it. */
    static final Duration DELIVERED_WITHIN = Duration.ofSeconds(20);

    private static CaddyServer caddy;
    private static int caddyFor;
    private static TlsProbe tls;
    private static PebbleServer tlsFor;

    private DeliveryTestSupport() {
    }

    /**
     * Pebble issues 20-second certificates, renewed at half-life, so a renewal happens while a test
     * watches; HAProxy and the Kubernetes test server are the profile's, so the delivery classes share
     * one start of the service.
     */
    public static class WithTerminators implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AcmeTestBedResource.class,
                            Map.of("validitySeconds", "20", "renewalRatio", "0.5", "txtTimeout", "4s")),
                    new TestResourceEntry(DeliveryTestBedResource.class), new TestResourceEntry(KubernetesCrudServer.class));
        }
    }

    /** Every API call of the test carries the management token this profile requires. */
    static void authenticate() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + DeliveryTestBedResource.MANAGEMENT_TOKEN).build();
    }

    static void forget(Rows rows) {
        RestAssured.requestSpecification = null;
        // 20-second certificates would keep renewing in later test classes.
        rows.update("DELETE FROM domains WHERE domain_name LIKE 'deliver-%'");
    }

    /**
     * Caddy, asking the service (token in the path) on every handshake; started once the service's
     * port is known, and again when a later test class runs against a service started anew.
     */
    static synchronized CaddyServer caddy() {
        if (caddy != null && caddyFor != RestAssured.port) {
            stopCaddy();
        }
        if (caddy == null) {
            caddy = CaddyServer.start("http://127.0.0.1:" + RestAssured.port + "/tls/" + DeliveryTestBedResource.DELIVERY_TOKEN + "/certificate");
            caddyFor = RestAssured.port;
        }
        return caddy;
    }

    static synchronized void stopCaddy() {
        if (caddy != null) {
            caddy.close();
            caddy = null;
        }
        tls = null;
    }

    /** A TLS client trusting the current Pebble's roots (a service started anew comes with a new Pebble). */
    static synchronized TlsProbe tls() {
        if (tls == null || tlsFor != AcmeTestBedResource.current().pebble) {
            tls = TlsProbe.trustingPebble(AcmeTestBedResource.current().pebble);
            tlsFor = AcmeTestBedResource.current().pebble;
        }
        return tls;
    }

    /** A delegated domain with its certificate issued by Pebble; the current serial is read from the database. */
    static RegisteredDomain activeDomain() {
        RegisteredDomain d = delegatedDomain("deliver");
        issue(d.id()).statusCode(202);
        awaitStatus(d.id(), "active", ISSUED_WITHIN);
        return d;
    }

    static String currentSerial(Rows rows, String domainId) {
        return rows.string("SELECT serial FROM certificates WHERE domain_id = ? ORDER BY issued_at DESC LIMIT 1", domainId);
    }
}
