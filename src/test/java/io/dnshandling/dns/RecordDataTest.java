package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

class RecordDataTest {

    static final Name NAME = Name.fromConstantString("t.dns-handling.test.");

    @Test
    void txt_text_reads_back_exactly_what_was_given() {
        for (String value : new String[] {"plain", "a\\065", "ends with \\", "\"quoted\"", "ünïcødé ✓", "x".repeat(700),
                "é".repeat(200)}) {
            TXTRecord r = RecordData.txt(NAME, 60, value);
            assertThat(RecordData.text(r)).as(value).isEqualTo(value);
            assertThat(r.getStringsAsByteArrays()).allSatisfy(part -> assertThat(((byte[]) part).length).isLessThanOrEqualTo(255));
        }
    }

    @Test
    void a_long_value_is_split_on_character_boundaries() {
        TXTRecord r = RecordData.txt(NAME, 60, "é".repeat(200)); // 400 bytes: 2-byte characters never cut in half
        assertThat(r.getStringsAsByteArrays()).hasSize(2);
        assertThat(((byte[]) r.getStringsAsByteArrays().get(0)).length).isEqualTo(254);
    }
}
