package io.dnshandling.auth;

import io.dnshandling.core.Digests;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tokens the API accepts, each with a name (what the access log shows) and its scopes.
 * {@code AUTH_TOKENS} lists them by SHA-256 digest, so the configuration never holds a usable
 * token: {@code "ops sha256:<hex> domains:read domains:write; caddy sha256:<hex> certificates:deliver"}.
 * {@code AUTH_TOKEN} still works as one token named {@code auth-token} with every scope but
 * delivery, and {@code DELIVERY_TOKEN} as one named {@code delivery} with delivery only.
 * Presented tokens are compared by digest, in constant time, against every configured one.
 */
@ApplicationScoped
public class ApiTokens {

    /** A configured token: its name and what it may do. */
    public record Token(String name, Set<Scope> scopes, byte[] digest) {
    }

    private final List<Token> tokens;
    private final boolean disabled;

    ApiTokens(@ConfigProperty(name = "auth.tokens") Optional<String> tokens, @ConfigProperty(name = "auth.token") Optional<String> legacy,
            @ConfigProperty(name = "delivery.token") Optional<String> delivery, @ConfigProperty(name = "auth.disabled") boolean disabled) {
        List<Token> all = new ArrayList<>(parse(tokens.orElse("")));
        legacy.map(String::strip).filter(t -> !t.isEmpty()).ifPresent(t -> all.add(new Token("auth-token",
                EnumSet.of(Scope.DOMAINS_READ, Scope.DOMAINS_WRITE, Scope.DNS_WRITE), Digests.sha256(t))));
        Optional<String> deliveryToken = delivery.map(String::strip).filter(t -> !t.isEmpty());
        if (deliveryToken.isPresent() && deliveryToken.equals(legacy.map(String::strip))) {
            throw new IllegalStateException("DELIVERY_TOKEN must differ from AUTH_TOKEN: the management token must not fetch keys");
        }
        deliveryToken.ifPresent(t -> all.add(new Token("delivery", EnumSet.of(Scope.CERTIFICATES_DELIVER), Digests.sha256(t))));
        this.tokens = List.copyOf(all);
        this.disabled = disabled;
    }

    /**
     * {@code AUTH_TOKENS}: entries separated by {@code ;}, each {@code <name> sha256:<64 hex> <scope>...}.
     * A mistake stops the start with the entry it is in.
     */
    public static List<Token> parse(String configured) {
        List<Token> out = new ArrayList<>();
        for (String entry : configured.split(";")) {
            String[] fields = entry.strip().split("\\s+");
            if (fields.length == 1 && fields[0].isEmpty()) {
                continue;
            }
            if (fields.length < 3 || !fields[1].startsWith("sha256:")) {
                throw new IllegalStateException("AUTH_TOKENS: '" + entry.strip() + "' is not '<name> sha256:<hex> <scope> ...'");
            }
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex(fields[1].substring("sha256:".length()).toLowerCase());
            } catch (IllegalArgumentException e) {
                digest = new byte[0];
            }
            if (digest.length != 32) {
                throw new IllegalStateException("AUTH_TOKENS: the digest of '" + fields[0] + "' is not 64 hex digits (sha256sum of the token)");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (int i = 2; i < fields.length; i++) {
                String wire = fields[i];
                scopes.add(Scope.fromWire(wire).orElseThrow(() -> new IllegalStateException("AUTH_TOKENS: unknown scope '" + wire
                        + "' of '" + fields[0] + "' (domains:read, domains:write, dns:write, certificates:deliver)")));
            }
            if (out.stream().anyMatch(t -> t.name().equals(fields[0]))) {
                throw new IllegalStateException("AUTH_TOKENS: the name '" + fields[0] + "' is used twice");
            }
            out.add(new Token(fields[0], scopes, digest));
        }
        return out;
    }

    /** The configured token {@code presented} is, if any; every configured digest is compared. */
    public Optional<Token> find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = Digests.sha256(presented);
        Token found = null;
        for (Token t : tokens) {
            if (MessageDigest.isEqual(t.digest(), digest) && found == null) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the management API is open to anyone (AUTH_DISABLED=true and no token with its scopes). */
    public boolean open() {
        return disabled && tokens.stream().noneMatch(t -> t.scopes().stream().anyMatch(s -> s != Scope.CERTIFICATES_DELIVER));
    }

    /** Whether some token may fetch keys: without one, /tls does not exist. */
    public boolean deliveryEnabled() {
        return tokens.stream().anyMatch(t -> t.scopes().contains(Scope.CERTIFICATES_DELIVER));
    }
}
