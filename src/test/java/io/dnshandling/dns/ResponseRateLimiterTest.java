package io.dnshandling.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.dns.ResponseRateLimiter.Decision;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseRateLimiterTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void a_prefix_gets_its_rate_then_every_other_answer_slips_and_the_rest_drop_until_it_refills() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(10);
        InetAddress a = InetAddress.getByName("198.51.100.7");
        List<Decision> first = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            first.add(limiter.decide(a, 0));
        }
        assertThat(first.subList(0, 10)).containsOnly(Decision.SEND);
        assertThat(first.subList(10, 14)).containsExactly(Decision.SLIP, Decision.DROP, Decision.SLIP, Decision.DROP);
        assertThat(limiter.decide(a, SECOND / 2)).isEqualTo(Decision.SEND); // half a second refills five
    }

    @Test
    void addresses_share_a_bucket_by_ipv4_24_and_ipv6_56() throws Exception {
        assertThat(ResponseRateLimiter.prefix(InetAddress.getByName("198.51.100.7")))
                .isEqualTo(ResponseRateLimiter.prefix(InetAddress.getByName("198.51.100.200")))
                .isNotEqualTo(ResponseRateLimiter.prefix(InetAddress.getByName("198.51.101.7")));
        assertThat(ResponseRateLimiter.prefix(InetAddress.getByName("2001:db8:0:ab::1")))
                .isEqualTo(ResponseRateLimiter.prefix(InetAddress.getByName("2001:db8:0:ff::2")))
                .isNotEqualTo(ResponseRateLimiter.prefix(InetAddress.getByName("2001:db8:1:ab::1")));
    }

    @Test
    void many_prefixes_keep_their_own_buckets_as_the_table_grows_and_is_swept() throws Exception {
        ResponseRateLimiter limiter = new ResponseRateLimiter(2);
        // 5,000 IPv4 /24s and 5,000 IPv6 /56s, each sent its two answers, then slipped.
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            sources.add(InetAddress.getByName("10." + (i >> 8) + "." + (i & 0xFF) + ".9"));
            sources.add(InetAddress.getByName("2001:db8:" + Integer.toHexString(i) + ":1100::1"));
        }
        for (InetAddress source : sources) {
            assertThat(limiter.decide(source, SECOND)).isEqualTo(Decision.SEND);
            assertThat(limiter.decide(source, SECOND)).isEqualTo(Decision.SEND);
        }
        for (InetAddress source : sources) {
            assertThat(limiter.decide(source, SECOND)).as("%s", source).isEqualTo(Decision.SLIP);
        }
        assertThat(limiter.prefixesTracked()).isEqualTo(10_000);
        // Half of them, of both families, were found again after the table grew: their buckets are empty.
        List<InetAddress> kept = new ArrayList<>();
        List<InetAddress> idle = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            (i % 4 < 2 ? kept : idle).add(sources.get(i));
        }
        for (InetAddress source : kept) {
            assertThat(limiter.decide(source, SECOND + SECOND / 1000)).as("%s", source).isEqualTo(Decision.DROP);
            assertThat(limiter.decide(source, 9 * SECOND)).isEqualTo(Decision.SEND);
        }
        // The first decision after ten seconds sweeps: the idle half, untouched for 10.9 s, is forgotten.
        for (InetAddress source : kept) {
            assertThat(limiter.decide(source, 11_900_000_000L)).isEqualTo(Decision.SEND);
            assertThat(limiter.decide(source, 11_900_000_000L)).isEqualTo(Decision.SEND);
        }
        assertThat(limiter.prefixesTracked()).isEqualTo(5_000);
        // After the sweep placed them again, the kept buckets are still found (spent: over the limit),
        // and a forgotten prefix starts afresh (full).
        for (InetAddress source : kept) {
            assertThat(limiter.decide(source, 12 * SECOND)).as("%s", source).isEqualTo(Decision.SLIP);
        }
        for (InetAddress source : idle) {
            assertThat(limiter.decide(source, 12 * SECOND)).as("%s", source).isEqualTo(Decision.SEND);
        }
        assertThat(limiter.prefixesTracked()).isEqualTo(10_000);
    }

    @Test
    void zero_turns_it_off_and_idle_prefixes_are_forgotten() throws Exception {
        ResponseRateLimiter off = new ResponseRateLimiter(0);
        for (int i = 0; i < 100; i++) {
            assertThat(off.decide(InetAddress.getByName("198.51.100.7"), 0)).isEqualTo(Decision.SEND);
        }
        ResponseRateLimiter limiter = new ResponseRateLimiter(10);
        limiter.decide(InetAddress.getByName("198.51.100.7"), 11 * SECOND);
        limiter.decide(InetAddress.getByName("203.0.113.1"), 30 * SECOND);
        assertThat(limiter.prefixesTracked()).isEqualTo(1);
    }
}
