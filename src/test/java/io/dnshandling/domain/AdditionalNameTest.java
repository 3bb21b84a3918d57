package io.dnshandling.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdditionalNameTest {

    static final DomainName SHOP = DomainName.parse("shop.example.com");

    @Test
    void the_domain_s_wildcard_is_proven_on_the_domain_itself() {
        AdditionalName name = AdditionalName.parse(SHOP, " *.Shop.Example.COM. ");
        assertThat(name.ascii()).isEqualTo("*.shop.example.com");
        assertThat(name.provenByDomain(SHOP)).isTrue();
        assertThat(name.challengeName()).isEqualTo("_acme-challenge.shop.example.com.");
    }

    @Test
    void a_name_under_the_domain_and_its_wildcard_are_proven_at_the_name_s_own_challenge_record() {
        AdditionalName www = AdditionalName.parse(SHOP, "WWW.shop.example.com");
        assertThat(www.ascii()).isEqualTo("www.shop.example.com");
        assertThat(www.provenByDomain(SHOP)).isFalse();
        assertThat(www.challengeName()).isEqualTo("_acme-challenge.www.shop.example.com.");
        AdditionalName deep = AdditionalName.parse(SHOP, "*.eu.shop.example.com");
        assertThat(deep.provenOn()).isEqualTo("eu.shop.example.com");
        assertThat(deep.challengeName()).isEqualTo("_acme-challenge.eu.shop.example.com.");
        assertThat(AdditionalName.parse(SHOP, "bücher.shop.example.com").ascii()).isEqualTo("xn--bcher-kva.shop.example.com");
    }

    @Test
    void names_outside_the_domain_the_domain_itself_and_misplaced_stars_are_refused() {
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "shop.example.com")).hasMessageContaining("is the domain itself");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "example.com")).hasMessageContaining("is not shop.example.com or a name under it");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "evilshop.example.com")).hasMessageContaining("is not shop.example.com");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "*.example.com")).hasMessageContaining("is not shop.example.com");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "*")).hasMessageContaining("a wildcard has one '*'");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "w*.shop.example.com")).hasMessageContaining("a wildcard has one '*'");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "*.*.shop.example.com")).hasMessageContaining("a wildcard has one '*'");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, " ")).hasMessage("name is required");
        assertThatThrownBy(() -> AdditionalName.parse(SHOP, "a..shop.example.com")).isInstanceOf(InvalidDomainNameException.class);
    }
}
