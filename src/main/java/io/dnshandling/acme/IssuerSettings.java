package io.dnshandling.acme;

import io.dnshandling.config.AcmeConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * One CA the service orders from: its name (in metrics and on certificates), directory, account
 * settings, profile and certificate key type.
 */
public record IssuerSettings(String name, String directory, Optional<String> email, Optional<String> trustCert, Optional<String> eabKid,
        Optional<String> eabHmacKey, Optional<String> profile, String keyType, Optional<List<String>> caaIdentities) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,32}");
    /** The name of the one CA configured by the single settings ({@code ACME_DIRECTORY} …). */
    public static final String DEFAULT = "default";

    /**
     * A CA no longer in {@code ACME_ISSUERS} that still holds orders or certificates: named after
     * its directory's host, reached with the shared settings and the account already stored for it.
     */
    static IssuerSettings retired(String directory, AcmeConfig acme) {
        String host = URI.create(directory).getHost();
        return new IssuerSettings(host == null ? "retired" : host, directory, acme.email(), acme.trustCert(), Optional.empty(),
                Optional.empty(), Optional.empty(), acme.keyType(), Optional.empty());
    }

    /**
     * The CAs in order of preference: those {@code ACME_ISSUERS} names, each from
     * {@code ACME_ISSUER_<NAME>_*} with the single-CA setting as fallback for what it leaves unset
     * (the directory excepted); or the single CA alone.
     */
    public static List<IssuerSettings> of(AcmeConfig acme, Config config) {
        List<String> names = acme.issuers().map(l -> l.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList()).orElse(List.of());
        if (names.isEmpty()) {
            return List.of(new IssuerSettings(DEFAULT, acme.directory(), acme.email(), acme.trustCert(), acme.eabKid(), acme.eabHmacKey(),
                    acme.profile(), acme.keyType(), acme.caaIdentities()));
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> directories = new LinkedHashSet<>();
        List<IssuerSettings> out = new ArrayList<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("ACME_ISSUERS: '" + name + "' is not a name of 1-32 letters and digits");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("ACME_ISSUERS names '" + name + "' twice");
            }
            Optional<AcmeConfig.Issuer> mapped = Optional.ofNullable(acme.issuer().get(name));
            Function<String, Optional<String>> value = key -> mapped.flatMap(i -> switch (key) {
                case "directory" -> i.directory();
                case "email" -> i.email();
                case "eab-kid" -> i.eabKid();
                case "eab-hmac-key" -> i.eabHmacKey();
                case "profile" -> i.profile();
                case "key-type" -> i.keyType();
                case "trust-cert" -> i.trustCert();
                default -> Optional.<String>empty();
            }).or(() -> config.getOptionalValue("acme.issuer." + name + "." + key, String.class)).map(String::strip).filter(v -> !v.isEmpty());
            String directory = value.apply("directory").orElseThrow(() -> new IllegalArgumentException(
                    "ACME_ISSUERS names '" + name + "' but ACME_ISSUER_" + name.toUpperCase(Locale.ROOT) + "_DIRECTORY is not set"));
            if (!directories.add(directory)) {
                throw new IllegalArgumentException("ACME_ISSUERS: two issuers share the directory " + directory);
            }
            Optional<List<String>> caa = mapped.flatMap(AcmeConfig.Issuer::caaIdentities)
                    .or(() -> config.getOptionalValues("acme.issuer." + name + ".caa-identities", String.class));
            out.add(new IssuerSettings(name, directory, value.apply("email").or(acme::email), value.apply("trust-cert").or(acme::trustCert),
                    value.apply("eab-kid"), value.apply("eab-hmac-key"), value.apply("profile"),
                    value.apply("key-type").orElse(acme.keyType()), caa.or(acme::caaIdentities)));
        }
        return out;
    }
}
