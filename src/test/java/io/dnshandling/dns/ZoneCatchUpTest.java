package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.core.KeysetScan;
import io.dnshandling.support.DnsClient;
import io.dnshandling.support.Rows;
import io.dnshandling.support.TestDnsResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The safety net behind notifications reads the change log, not the zone: a change whose
 * notification never arrived is served after a catch-up, and a row changed without a log entry
 * is not re-read by it (so the catch-up's cost follows the changes). A full load reads tables
 * larger than one page.
 */
@QuarkusTest
class ZoneCatchUpTest {

    private final DnsClient dns = new DnsClient(TestDnsResource.builtInPort());

    @Inject
    ZoneSync sync;

    @Inject
    Rows rows;

    @Inject
    MeterRegistry metrics;

    @Test
    void a_change_whose_notification_was_lost_is_served_after_a_catch_up_which_reads_only_the_logged_names() {
        String logged = "logged-" + UUID.randomUUID().toString().substring(0, 8) + "." + DnsServerTest.ZONE;
        String unlogged = "unlogged-" + UUID.randomUUID().toString().substring(0, 8) + "." + DnsServerTest.ZONE;
        long fullLoads = metrics.timer("dns.zone.reload", "kind", "full").count();
        rows.update("ALTER TABLE dns_records DISABLE TRIGGER dns_records_notify");
        try {
            record(logged, "192.0.2.71");
            record(unlogged, "192.0.2.72");
        } finally {
            rows.update("ALTER TABLE dns_records ENABLE TRIGGER dns_records_notify");
        }
        // As a trigger whose notification was lost would have left it: logged, never announced.
        rows.update("INSERT INTO dns_zone_changes (key) VALUES (?)", "r:" + logged);
        assertThat(dns.udp(logged, Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        sync.periodicCatchUp();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Message answer = dns.udp(logged, Type.A);
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress()).isEqualTo("192.0.2.71");
        });
        assertThat(dns.udp(unlogged, Type.A).getRcode()).as("a name the log does not mention is not re-read").isEqualTo(Rcode.NXDOMAIN);
        assertThat(metrics.timer("dns.zone.reload", "kind", "full").count()).as("no full reload").isEqualTo(fullLoads);
        assertThat(metrics.timer("dns.zone.reload", "kind", "catch-up").count()).isPositive();

        rows.update("DELETE FROM dns_records WHERE name IN (?, ?)", logged, unlogged);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> dns.udp(logged, Type.A).getRcode() == Rcode.NXDOMAIN);
    }

    @Test
    void a_full_load_reads_every_row_of_a_table_larger_than_a_page() {
        String label = "page-" + UUID.randomUUID().toString().substring(0, 8);
        int n = KeysetScan.PAGE + 50;
        rows.update("ALTER TABLE dns_records DISABLE TRIGGER dns_records_notify");
        try {
            rows.update("INSERT INTO dns_records (id, name, type, value, ttl, created_at) SELECT md5(? || i), 'h' || i || '."
                    + label + "." + DnsServerTest.ZONE + "', 'A', '192.0.2.9', 60, now() FROM generate_series(1, " + n + ") i", label);
            sync.reloadInFull().await().atMost(Duration.ofSeconds(60));
            for (int i : new int[] {1, n / 2, n}) {
                assertThat(dns.udp("h" + i + "." + label + "." + DnsServerTest.ZONE, Type.A).getRcode()).as("row %d", i)
                        .isEqualTo(Rcode.NOERROR);
            }
            rows.update("DELETE FROM dns_records WHERE name LIKE ?", "%." + label + "." + DnsServerTest.ZONE);
            sync.reloadInFull().await().atMost(Duration.ofSeconds(60));
        } finally {
            rows.update("ALTER TABLE dns_records ENABLE TRIGGER dns_records_notify");
        }
        assertThat(dns.udp("h1." + label + "." + DnsServerTest.ZONE, Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    private void record(String name, String address) {
        rows.update("INSERT INTO dns_records (id, name, type, value, ttl, created_at) VALUES (md5(?), ?, 'A', ?, 60, now())",
                name, name, address);
    }
}
