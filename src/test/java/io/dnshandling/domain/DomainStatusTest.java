package io.dnshandling.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DomainStatusTest {

    @Test
    void the_table_allows_exactly_the_documented_moves() {
        assertThat(DomainStatus.PENDING.next()).containsExactly(DomainStatus.VERIFIED);
        assertThat(DomainStatus.FAILED.next()).containsExactly(DomainStatus.VERIFIED);
        assertThat(DomainStatus.VERIFIED.next()).containsExactly(DomainStatus.CERTIFICATE_PENDING);
        assertThat(DomainStatus.CERTIFICATE_PENDING.next()).containsExactlyInAnyOrder(DomainStatus.ACTIVE, DomainStatus.FAILED);
        assertThat(DomainStatus.ACTIVE.next()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DomainStatus.class)
    void can_move_to_agrees_with_the_table_and_no_state_moves_to_itself(DomainStatus from) {
        for (DomainStatus to : DomainStatus.values()) {
            assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(from.next().contains(to));
        }
        assertThat(from.canMoveTo(from)).isFalse();
    }

    @Test
    void every_state_but_pending_is_reachable_and_only_active_is_terminal() {
        EnumSet<DomainStatus> reachable = EnumSet.noneOf(DomainStatus.class);
        for (DomainStatus s : DomainStatus.values()) {
            reachable.addAll(s.next());
        }
        assertThat(reachable).isEqualTo(EnumSet.complementOf(EnumSet.of(DomainStatus.PENDING)));
        assertThat(EnumSet.allOf(DomainStatus.class).stream().filter(s -> s.next().isEmpty())).containsExactly(DomainStatus.ACTIVE);
    }

    @ParameterizedTest
    @EnumSource(DomainStatus.class)
    void the_wire_form_is_snake_case_and_reads_back(DomainStatus s) {
        assertThat(s.wire()).matches("[a-z_]+");
        assertThat(DomainStatus.fromWire(s.wire())).isEqualTo(s);
        assertThat(new DomainStatus.DbConverter().convertToEntityAttribute(new DomainStatus.DbConverter().convertToDatabaseColumn(s))).isEqualTo(s);
    }

    @Test
    void an_unknown_wire_form_is_refused() {
        assertThatThrownBy(() -> DomainStatus.fromWire("revoked")).isInstanceOf(IllegalArgumentException.class);
    }
}
