package io.dnshandling.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings the service's PostgreSQL sessions start with (quarkus.datasource.reactive.additional-properties). */
@QuarkusTest
class DatabaseSessionTest {

    @Inject
    Pool pool;

    @Test
    void sessions_start_with_the_jit_compiler_off() {
        String jit = pool.query("SHOW jit").execute().map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(jit).isEqualTo("off");
    }
}
