package io.dnshandling.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateKeysTest {

    @ParameterizedTest(name = "{0} -> {1} bits")
    @CsvSource({"ec-p256, 256", "EC-P384, 384", "rsa-2048, 2048", "rsa_3072, 3072"})
    void each_configured_type_generates_keys_of_its_size(String configured, int bits) {
        var key = CertificateKeys.parse(configured).generate().getPublic();
        int size = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
                : ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
        assertThat(size).isEqualTo(bits);
    }

    @ParameterizedTest
    @CsvSource({"ed25519", "rsa-1024", "''"})
    void unknown_types_are_refused_with_the_accepted_ones_named(String configured) {
        assertThatThrownBy(() -> CertificateKeys.parse(configured))
                .hasMessageContaining("ACME_KEY_TYPE").hasMessageContaining("ec-p256, ec-p384, rsa-2048, rsa-3072");
    }
}
