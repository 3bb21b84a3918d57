package io.dnshandling.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnshandling.config.AcmeConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ACME_ISSUERS read through the real configuration mapping, from properties and from environment variables. */
class IssuerSettingsTest {

    @Test
    void without_acme_issuers_the_single_settings_are_one_ca_named_default() {
        List<IssuerSettings> issuers = read(Map.of("acme.directory", "https://ca.example/dir", "acme.profile", "shortlived",
                "acme.eab-kid", "kid", "acme.eab-hmac-key", "key"), Map.of());
        assertThat(issuers).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("default");
            assertThat(i.directory()).isEqualTo("https://ca.example/dir");
            assertThat(i.profile()).contains("shortlived");
            assertThat(i.eabKid()).contains("kid");
            assertThat(i.keyType()).isEqualTo("ec-p256");
        });
    }

    @Test
    void each_named_ca_has_its_own_settings_and_falls_back_to_the_shared_ones_but_never_for_eab_or_profile() {
        List<IssuerSettings> issuers = read(Map.of(
                "acme.issuers", "LE, google",
                "acme.email", "ops@example.com", "acme.key-type", "rsa-2048", "acme.profile", "classic", "acme.eab-kid", "shared-kid",
                "acme.issuer.le.directory", "https://le.example/dir", "acme.issuer.le.key-type", "ec-p384"), Map.of(
                "ACME_ISSUER_GOOGLE_DIRECTORY", "https://google.example/dir",
                "ACME_ISSUER_GOOGLE_EAB_KID", "kid-g", "ACME_ISSUER_GOOGLE_EAB_HMAC_KEY", "hmac-g",
                "ACME_ISSUER_GOOGLE_CAA_IDENTITIES", "pki.goog"));
        assertThat(issuers).extracting(IssuerSettings::name).containsExactly("le", "google");
        IssuerSettings le = issuers.get(0);
        assertThat(le.directory()).isEqualTo("https://le.example/dir");
        assertThat(le.keyType()).isEqualTo("ec-p384");
        assertThat(le.email()).contains("ops@example.com");
        assertThat(le.eabKid()).isEmpty();
        assertThat(le.profile()).isEmpty();
        IssuerSettings google = issuers.get(1);
        assertThat(google.directory()).isEqualTo("https://google.example/dir");
        assertThat(google.keyType()).isEqualTo("rsa-2048");
        assertThat(google.eabKid()).contains("kid-g");
        assertThat(google.eabHmacKey()).contains("hmac-g");
        assertThat(google.caaIdentities()).isEqualTo(Optional.of(List.of("pki.goog")));
    }

    @Test
    void a_list_that_cannot_be_ordered_from_stops_the_start_with_the_setting_to_fix() {
        assertThatThrownBy(() -> read(Map.of("acme.issuers", "le"), Map.of()))
                .hasMessageContaining("ACME_ISSUER_LE_DIRECTORY is not set");
        assertThatThrownBy(() -> read(Map.of("acme.issuers", "le,le", "acme.issuer.le.directory", "https://le.example/dir"), Map.of()))
                .hasMessageContaining("names 'le' twice");
        assertThatThrownBy(() -> read(Map.of("acme.issuers", "lets-encrypt"), Map.of()))
                .hasMessageContaining("'lets-encrypt' is not a name of 1-32 letters and digits");
        assertThatThrownBy(() -> read(Map.of("acme.issuers", "a,b", "acme.issuer.a.directory", "https://x.example/dir",
                "acme.issuer.b.directory", "https://x.example/dir"), Map.of()))
                .hasMessageContaining("share the directory https://x.example/dir");
    }

    private static List<IssuerSettings> read(Map<String, String> properties, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AcmeConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 200))
                .withSources(new io.smallrye.config.EnvConfigSource(environment, 300))
                .build();
        return IssuerSettings.of(config.getConfigMapping(AcmeConfig.class), config);
    }
}
