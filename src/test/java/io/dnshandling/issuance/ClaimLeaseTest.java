package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.config.AcmeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ACME_CLAIM_LEASE read through the real configuration mapping: 30 s unless set, and a lease too
 * short for a claim held between steps refused. What a lease does to a claimed row, to a replica
 * killed mid-step, and a start with one too short: {@link HeldClaimTest}, {@code IssuanceRestartIT}.
 */
class ClaimLeaseTest {

    @Test
    void the_lease_is_thirty_seconds_unless_set() {
        assertThat(config(Map.of()).claimLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config(Map.of("ACME_CLAIM_LEASE", "10s")).claimLease()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void a_lease_shorter_than_twice_the_longest_held_claim_stops_the_start_with_the_setting_to_fix() {
        assertThatThrownBy(() -> new OrderStore(null, null, null, null, config(Map.of("ACME_CLAIM_LEASE", "9s"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ACME_CLAIM_LEASE must be at least 10s, not 9000ms");
        assertThat(OrderRunner.MAX_HELD.multipliedBy(2)).isEqualTo(Duration.ofSeconds(10));
        assertThatCode(() -> new OrderStore(null, null, null, null, config(Map.of("ACME_CLAIM_LEASE", "10s")))).doesNotThrowAnyException();
    }

    private static AcmeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withMapping(AcmeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(environment, 300))
                .build()
                .getConfigMapping(AcmeConfig.class);
    }
}
