package io.dnshandling.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainNameTest {

    @ParameterizedTest(name = "''{0}'' is stored as ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            example.com                        | example.com
            shop.example.com                   | shop.example.com
            Shop.Example.COM                   | shop.example.com
            '  shop.example.com  '             | shop.example.com
            shop.example.com.                  | shop.example.com
            SHOP.EXAMPLE.COM.                  | shop.example.com
            a.b.c.d.e.example.org              | a.b.c.d.e.example.org
            my-shop.example.net                | my-shop.example.net
            3com.example.com                   | 3com.example.com
            x1.example.io                      | x1.example.io
            a.co.uk                            | a.co.uk
            shop.github.io                     | shop.github.io
            bücher.example.org                 | xn--bcher-kva.example.org
            BÜCHER.example.org                 | xn--bcher-kva.example.org
            xn--bcher-kva.example.org          | xn--bcher-kva.example.org
            faß.de                             | xn--fa-hia.de
            münchen.de                         | xn--mnchen-3ya.de
            пример.рф                          | xn--e1afmkfd.xn--p1ai
            例え.テスト.jp                       | xn--r8jz45g.xn--zckzah.jp
            shop.example。com                  | shop.example.com
            ｓｈｏｐ.example.com                 | shop.example.com
            a234567890123456789012345678901234567890123456789012345678901.com | a234567890123456789012345678901234567890123456789012345678901.com
            """)
    void normalises_valid_names(String input, String expected) {
        assertThat(DomainName.parse(input).ascii()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                 | required
            '   '                              | required
            com                                | at least two labels
            localhost                          | at least two labels
            example..com                       | empty label
            .example.com                       | empty label
            example.com..                      | empty label
            -shop.example.com                  | starts with a hyphen
            shop-.example.com                  | ends with a hyphen
            sh_op.example.com                  | not allowed
            _acme-challenge.example.com        | not allowed
            shop example.com                   | spaces
            shop!.example.com                  | not allowed
            shop.example.com/path              | not allowed
            192.168.0.1                        | IP address
            10.0.0.300                         | top-level domain is never numeric
            1.2.3                              | top-level domain is never numeric
            ::1                                | IP address
            2001:db8::1                        | IP address
            [2001:db8::1]                      | IP address
            example.com:443                    | IP address
            *.example.com                      | wildcard
            co.uk                              | public suffix
            github.io                          | public suffix
            ab--cd.example.com                 | third and fourth
            xn--zz.example.com                 | punycode
            a2345678901234567890123456789012345678901234567890123456789012345.com | at most 63
            """)
    void refuses_invalid_names(String input, String reason) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOf(InvalidDomainNameException.class)
                .hasMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void refuses_null() {
        assertThatThrownBy(() -> DomainName.parse(null)).hasMessageContaining("required");
    }

    @org.junit.jupiter.api.Test
    void refuses_names_longer_than_253_characters() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, "b".repeat(57), "com"); // 63*3+57+3+4 dots = 253
        assertThat(DomainName.parse(name).ascii()).hasSize(253);
        assertThatThrownBy(() -> DomainName.parse("x." + name))
                .hasMessageContaining("at most 253");
    }

    @org.junit.jupiter.api.Test
    void refuses_internationalised_names_whose_ascii_form_is_too_long() {
        // 30 distinct CJK characters: 30 in Unicode, well over 63 once punycoded.
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            label.appendCodePoint(0x4E00 + 37 * i);
        }
        assertThatThrownBy(() -> DomainName.parse(label + ".example.com"))
                .hasMessageContaining("at most 63");
    }

    @org.junit.jupiter.api.Test
    void challenge_name_is_absolute_under_acme_challenge() {
        assertThat(DomainName.parse("Shop.Example.com").challengeName()).isEqualTo("_acme-challenge.shop.example.com.");
    }
}
