package io.dnshandling.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DeliveryNamesTest {

    /** Kubernetes' DNS-1123 subdomain: what a Secret's name must be. */
    static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Test
    void a_secret_is_named_after_its_domain_and_stays_a_valid_kubernetes_name() {
        assertThat(KubernetesSecrets.secretName("shop.example.com")).isEqualTo("shop.example.com-tls");
        assertThat(KubernetesSecrets.secretName("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example-tls");
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "b".repeat(53), "example");
        assertThat(longest).hasSize(253);
        String name = KubernetesSecrets.secretName(longest);
        assertThat(name).hasSizeLessThanOrEqualTo(253).matches(DNS_1123_SUBDOMAIN).endsWith("-tls");
        String sibling = KubernetesSecrets.secretName(longest.replace("example", "example2").substring(1));
        assertThat(name).isNotEqualTo(sibling);
        assertThat(KubernetesSecrets.secretName(longest)).isEqualTo(name);
    }

    @Test
    void haproxy_serials_compare_as_numbers_whatever_the_case_and_leading_zeros() {
        assertThat(HaproxyTarget.sameSerial("0FF787A0F911", "ff787a0f911")).isTrue();
        assertThat(HaproxyTarget.sameSerial("0FF787A0F911", "ff787a0f912")).isFalse();
        assertThat(HaproxyTarget.sameSerial("", "ff")).isFalse();
        assertThat(HaproxyTarget.sameSerial(null, "ff")).isFalse();
        assertThat(HaproxyTarget.sameSerial("zz", "ff")).isFalse();
    }

    @Test
    void only_certificates_this_service_named_are_ours_including_one_with_an_open_transaction() {
        List<String> lines = HaproxyTarget.lines("# filename\n/etc/haproxy/fallback.pem\ndns-handling/a.example.pem\n*dns-handling/b.example.pem\n\n");
        assertThat(HaproxyTarget.ours(lines)).containsExactly("dns-handling/a.example.pem", "dns-handling/b.example.pem");
        List<String> crtList = HaproxyTarget.lines("# /etc/haproxy/list\n/etc/haproxy/fallback.pem\ndns-handling/a.example.pem [] a.example\n\n");
        assertThat(HaproxyTarget.ours(HaproxyTarget.firstWords(crtList))).containsExactly("dns-handling/a.example.pem");
    }
}
