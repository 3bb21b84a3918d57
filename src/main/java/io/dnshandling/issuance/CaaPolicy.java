package io.dnshandling.issuance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a relevant CAA RRset (RFC 8659) lets this service's CA issue for a name by dns-01 with
 * its account: {@code issue} (or {@code issuewild} for a wildcard, falling back to {@code issue}),
 * the issuer's domain compared case-insensitively with the CA's identities, and the RFC 8657
 * parameters {@code accounturi} and {@code validationmethods}. An unknown tag with the
 * issuer-critical flag forbids issuance. Pure: the lookups are {@link CaaCheck}'s.
 */
final class CaaPolicy {

    /** One CAA record as published: flags, tag, value. */
    record Caa(int flags, String tag, String value) {

        boolean critical() {
            return (flags & 0x80) != 0;
        }

        @Override
        public String toString() {
            return flags + " " + tag + " \"" + value + "\"";
        }
    }

    private static final List<String> KNOWN = List.of("issue", "issuewild", "iodef", "contactemail", "contactphone", "issuemail", "issuevmc");

    private CaaPolicy() {
    }

    /**
     * Why issuance is refused, or empty when it is allowed. {@code accountUrl} is asked for only
     * when a record names an account.
     */
    static Optional<String> refusal(List<Caa> set, boolean wildcard, List<String> identities, java.util.function.Supplier<String> accountUrl) {
        for (Caa r : set) {
            if (r.critical() && !KNOWN.contains(r.tag().toLowerCase(Locale.ROOT))) {
                return Optional.of("the issuer-critical record " + r + " has a property this service does not understand");
            }
        }
        String tag = wildcard && set.stream().anyMatch(r -> r.tag().equalsIgnoreCase("issuewild")) ? "issuewild" : "issue";
        List<Caa> rules = set.stream().filter(r -> r.tag().equalsIgnoreCase(tag)).toList();
        if (rules.isEmpty()) {
            return Optional.empty(); // no issue property: any CA may issue
        }
        List<String> why = new ArrayList<>();
        for (Caa r : rules) {
            Optional<String> mismatch = mismatch(r, identities, accountUrl);
            if (mismatch.isEmpty()) {
                return Optional.empty();
            }
            why.add(r + " " + mismatch.get());
        }
        return Optional.of(String.join("; ", why));
    }

    /** Why this one record does not allow the service, or empty when it does. */
    private static Optional<String> mismatch(Caa r, List<String> identities, java.util.function.Supplier<String> accountUrl) {
        String[] parts = r.value().split(";", -1);
        String issuer = parts[0].strip().toLowerCase(Locale.ROOT);
        if (issuer.isEmpty()) {
            return Optional.of("allows no CA");
        }
        if (identities.stream().noneMatch(id -> id.equalsIgnoreCase(issuer))) {
            return Optional.of("names another CA (this service's CA is " + (identities.isEmpty() ? "unknown" : String.join(", ", identities)) + ")");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = parameter.substring(eq + 1).strip();
            if (key.equals("validationmethods")
                    && List.of(value.toLowerCase(Locale.ROOT).split(",")).stream().map(String::strip).noneMatch("dns-01"::equals)) {
                return Optional.of("does not allow dns-01 validation");
            }
            if (key.equals("accounturi") && !value.equals(accountUrl.get())) {
                return Optional.of("allows another account (this service's is " + accountUrl.get() + ")");
            }
        }
        return Optional.empty();
    }
}
