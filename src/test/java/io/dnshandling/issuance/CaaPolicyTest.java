package io.dnshandling.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnshandling.issuance.CaaPolicy.Caa;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaaPolicyTest {

    private static final List<String> US = List.of("letsencrypt.org");
    private static final String ACCOUNT = "https://acme-v02.api.letsencrypt.org/acme/acct/42";

    private static boolean allowed(boolean wildcard, Caa... set) {
        return CaaPolicy.refusal(List.of(set), wildcard, US, () -> ACCOUNT).isEmpty();
    }

    @Test
    void issue_naming_the_ca_allows_it_and_naming_another_does_not() {
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org"))).isTrue();
        assertThat(allowed(false, new Caa(0, "issue", "LetsEncrypt.ORG"))).isTrue();
        assertThat(allowed(false, new Caa(0, "issue", "pki.goog"))).isFalse();
        assertThat(allowed(false, new Caa(0, "issue", "pki.goog"), new Caa(0, "issue", "letsencrypt.org"))).isTrue();
        assertThat(allowed(false, new Caa(0, "issue", ";"))).isFalse();
    }

    @Test
    void a_set_without_issue_allows_every_ca() {
        assertThat(allowed(false)).isTrue();
        assertThat(allowed(false, new Caa(0, "iodef", "mailto:security@example.com"))).isTrue();
    }

    @Test
    void wildcards_use_issuewild_and_fall_back_to_issue() {
        assertThat(allowed(true, new Caa(0, "issue", "letsencrypt.org"), new Caa(0, "issuewild", ";"))).isFalse();
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org"), new Caa(0, "issuewild", ";"))).isTrue();
        assertThat(allowed(true, new Caa(0, "issue", "letsencrypt.org"))).isTrue();
    }

    @Test
    void rfc_8657_parameters_must_allow_dns_01_and_the_service_account() {
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org; validationmethods=http-01"))).isFalse();
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org; validationmethods=http-01,dns-01"))).isTrue();
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org; accounturi=" + ACCOUNT))).isTrue();
        assertThat(allowed(false, new Caa(0, "issue", "letsencrypt.org; accounturi=https://elsewhere/acct/1"))).isFalse();
    }

    @Test
    void an_unknown_critical_property_forbids_and_an_unknown_plain_one_does_not() {
        assertThat(allowed(false, new Caa(128, "tbs", "x"), new Caa(0, "issue", "letsencrypt.org"))).isFalse();
        assertThat(allowed(false, new Caa(0, "tbs", "x"), new Caa(0, "issue", "letsencrypt.org"))).isTrue();
    }

    @Test
    void the_refusal_names_the_record_and_the_account_is_asked_for_only_when_needed() {
        assertThat(CaaPolicy.refusal(List.of(new Caa(0, "issue", "pki.goog")), false, US, () -> {
            throw new AssertionError("no record names an account");
        })).hasValueSatisfying(why -> assertThat(why).contains("0 issue \"pki.goog\"").contains("letsencrypt.org"));
    }
}
