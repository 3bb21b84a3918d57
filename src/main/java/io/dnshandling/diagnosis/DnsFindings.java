package io.dnshandling.diagnosis;

import io.dnshandling.diagnosis.DiagnosisFacts.Facts;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.verification.LookupAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.CNAMERecord;

/**
 * What the DNS lookups of a diagnosis mean, in sentences: the customer's delegation CNAME as the
 * resolvers see it, and the challenge values at the delegation target as our DNS server serves
 * them and as the resolvers see them. Pure: the lookups are made before, within one deadline.
 */
final class DnsFindings {

    /** A lookup's answer, or why there is none (a resolver failure or the deadline). */
    record Seen(LookupAnswer answer, String failure) {

        static Seen of(LookupAnswer answer) {
            return new Seen(answer, null);
        }

        static Seen failed(String why) {
            return new Seen(null, why);
        }
    }

    private DnsFindings() {
    }

    /**
     * The delegation of {@code name}'s challenge: the domain's own (check {@code delegation}), or an
     * additional name's that has a challenge name of its own (check {@code delegation:<name>}); both
     * point at the domain's one delegation target.
     */
    static Check delegation(Facts f, String name, String target, Seen cname, Seen txt) {
        String check = name.equals(f.name()) ? "delegation" : "delegation:" + name;
        String at = "_acme-challenge." + name;
        String fix = "set the CNAME " + at + " -> " + target;
        if (cname.failure() != null) {
            return Check.unknown(check, "The CNAME at " + at + " could not be looked up: " + cname.failure()
                    + ". Try again; if it lasts, the DNS servers of " + name + " do not answer.");
        }
        List<String> targets = cname.answer().records().stream().filter(r -> r instanceof CNAMERecord)
                .map(r -> bare(((CNAMERecord) r).getTarget().toString())).toList();
        if (!targets.isEmpty()) {
            return targets.get(0).equals(bare(target))
                    ? Check.ok(check, at + " is a CNAME to " + target + ", as it should be: verification and every renewal need no "
                            + "further DNS change.")
                    : Check.problem(check, at + " is a CNAME to " + targets.get(0) + ", not to this domain's delegation target: "
                            + "change it to " + target + ".");
        }
        if (txt.failure() != null) {
            return Check.unknown(check, "There is no CNAME at " + at + ", and its TXT records could not be looked up: "
                    + txt.failure() + ".");
        }
        List<String> values = txt.answer().txtValues();
        if (values.isEmpty()) {
            return Check.problem(check, "There is no CNAME at " + at + (txt.answer().nameExists() ? "" : " (the name does not exist)")
                    + ": " + fix + ".");
        }
        List<String> known = new ArrayList<>();
        known.add(f.token());
        if (f.order() != null && f.order().open()) {
            known.addAll(f.order().values());
        }
        if (values.stream().noneMatch(known::contains)) {
            return Check.problem(check, at + " holds the TXT value " + quoted(values) + ", set by hand and stale: it is neither "
                    + "this domain's verification token nor a value of its open order. Remove it and " + fix + ".");
        }
        String byHand = at + " holds the right TXT value, set by hand. It proves what it holds, but every certificate and renewal then needs "
                + "a new value by hand: " + fix + " instead, once, and they need none.";
        boolean ordering = f.status() == DomainStatus.CERTIFICATE_PENDING || f.status() == DomainStatus.ACTIVE;
        return ordering ? Check.problem(check, byHand) : Check.ok(check, byHand);
    }

    /**
     * The values due at the delegation target (the token while unverified, an order's values while
     * the CA validates): whether our DNS server serves them, and whether the resolvers see them.
     */
    static Check challengeValues(Facts f, String target, List<String> served, boolean delegated, Seen txt) {
        List<String> due = new ArrayList<>();
        if (f.status() == DomainStatus.PENDING || f.status() == DomainStatus.FAILED) {
            due.add(f.token());
        }
        if (f.order() != null && f.order().publishing()) {
            due.addAll(f.order().values());
        }
        if (due.isEmpty()) {
            return Check.ok("challenge_values", "Nothing is due at " + target + " now: our DNS server publishes the verification token there "
                    + "while the domain is unverified, and an order's values while the CA validates them.");
        }
        if (!served.containsAll(due)) {
            return Check.problem("challenge_values", "Our DNS server does not serve " + due.size() + " value(s) due at " + target + " yet. "
                    + "A replica loads a change within seconds; if this lasts, its zone sync is stuck: see its log and its readiness.");
        }
        String ours = "Our DNS server serves the " + due.size() + " value(s) due at " + target;
        if (!delegated) {
            return Check.ok("challenge_values", ours + "; the resolvers reach them once the delegation CNAME is right.");
        }
        if (txt.failure() != null) {
            return Check.unknown("challenge_values", ours + "; whether the resolvers see them could not be looked up: " + txt.failure() + ".");
        }
        List<String> seen = txt.answer().txtValues();
        return seen.containsAll(due) ? Check.ok("challenge_values", ours + ", and the resolvers see them through the CNAME.")
                : Check.problem("challenge_values", ours + ", but the resolvers see " + (seen.isEmpty() ? "none" : quoted(seen))
                        + ". A resolver may keep an older answer for its TTL; if this lasts, the zone's delegation at its parent does not "
                        + "reach our DNS servers.");
    }

    /** Whether {@code cname} points at {@code target}. */
    static boolean delegated(Seen cname, String target) {
        return cname.failure() == null && cname.answer().records().stream()
                .anyMatch(r -> r instanceof CNAMERecord c && bare(c.getTarget().toString()).equals(bare(target)));
    }

    private static String bare(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + (v.length() > 64 ? v.substring(0, 64) + "…" : v) + "\"")
                .reduce((a, b) -> a + ", " + b).orElse("");
    }
}
