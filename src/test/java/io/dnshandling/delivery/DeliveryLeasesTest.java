package io.dnshandling.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.dnshandling.support.Rows;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing leaves a delivery lease held for its whole length: another replica must not wait a
 * minute before it delivers to the same target. Same service as {@link DeliveryEndToEndTest}.
 */
@QuarkusTest
@TestProfile(DeliveryTestSupport.WithTerminators.class)
class DeliveryLeasesTest {

    @Inject
    Rows rows;

    @Inject
    DeliveryReconciler reconciler;

    @Inject
    DeploymentStore deployments;

    @Test
    void a_domain_deleted_while_a_pass_ran_is_left_out_of_its_record_instead_of_failing_it() {
        // Before, the whole record failed on the foreign key, and the failed pass kept its lease for a minute.
        Deliverable gone = new Deliverable("0".repeat(32), "gone.example.com", "c".repeat(32), "01", OffsetDateTime.now(),
                List.of("gone.example.com"));
        deployments.record("test:gone", List.of(gone), Map.of()).await().atMost(Duration.ofSeconds(10));
        assertThat(rows.count("SELECT count(*) FROM certificate_deployments WHERE target = 'test:gone'")).isZero();
    }

    @Test
    void stopping_releases_every_lease_this_replica_holds_and_no_other() {
        String mine = reconciler.holder();
        String other = "f".repeat(32);
        rows.update("""
                INSERT INTO delivery_leases (target, holder, lease_until) VALUES ('test:mine', ?, now() + interval '60 seconds'),
                                                                             ('test:other', ?, now() + interval '60 seconds')""",
                mine, other);
        try {
            reconciler.stop(new ShutdownEvent());
            assertThat(rows.count("SELECT count(*) FROM delivery_leases WHERE target = 'test:mine' AND lease_until > now()")).isZero();
            assertThat(rows.count("SELECT count(*) FROM delivery_leases WHERE target = 'test:other' AND lease_until > now()")).isOne();
        } finally {
            rows.update("DELETE FROM delivery_leases WHERE target LIKE 'test:%'");
        }
    }
}
