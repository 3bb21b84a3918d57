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
