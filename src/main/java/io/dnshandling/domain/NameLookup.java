package io.dnshandling.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How the trigram index (pg_trgm, V26) finds the names that hold a searched part: the LIKE
 * patterns to look up, which together match exactly those names, and up to how many matches the
 * list reads them all and sorts them rather than reading in creation order (through the name
 * blocks of V31).
 *
 * <p>pg_trgm splits a name into words at anything but a letter or digit, pads each word with two
 * spaces in front and one behind, and indexes its runs of three characters. A part with three
 * letters or digits in a row is looked up as it is. A part of two letters or digits, {@code ab},
 * yields no trigram inside {@code %ab%}: it is looked up as what must follow it in a name, which
 * holds only letters, digits, dots and hyphens (see {@link DomainName}): {@code %abx%} for each
 * letter or digit {@code x} (the trigram {@code abx}), or {@code %ab.%}, {@code %ab-%} or
 * {@code %ab} (the word's end, {@code "ab "}). Every other part has no lookup (a single character,
 * or runs of at most two broken by dots and hyphens) and is found through the name blocks alone.
 *
 * @param patterns the LIKE patterns, any of which a name with the part matches
 * @param fewMatches up to this many matches, the page reads them all from the index and sorts them
 */
record NameLookup(String[] patterns, int fewMatches) {

    /**
     * With one pattern: the index finds each match and PostgreSQL checks it against that pattern
     * once (2 ms to count 11,000 at a million domains).
     */
    static final int FEW_NAME_MATCHES = 20_000;

    /**
     * With a two-character part's 39 patterns, PostgreSQL checks each match against the patterns
     * in turn until one holds (about 3 µs a match): only a few are worth counting and sorting.
     */
    static final int FEW_SHORT_MATCHES = 1_000;

    private static final Pattern TRIGRAM = Pattern.compile("[a-z0-9]{3}");
    private static final Pattern TWO = Pattern.compile("[a-z0-9]{2}");
    private static final String FOLLOWERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** The lookup of {@code part} (lower case, no LIKE wildcard), or null when the index cannot find it. */
    static NameLookup of(String part) {
        if (TRIGRAM.matcher(part).find()) {
            return new NameLookup(new String[] {like(part)}, FEW_NAME_MATCHES);
        }
        if (!TWO.matcher(part).matches()) {
            return null;
        }
        String[] patterns = new String[FOLLOWERS.length() + 3];
        for (int i = 0; i < FOLLOWERS.length(); i++) {
            patterns[i] = "%" + part + FOLLOWERS.charAt(i) + "%";
        }
        patterns[FOLLOWERS.length()] = "%" + part + ".%";
        patterns[FOLLOWERS.length() + 1] = "%" + part + "-%";
        patterns[FOLLOWERS.length() + 2] = "%" + part;
        return new NameLookup(patterns, FEW_SHORT_MATCHES);
    }

    /**
     * The SQL condition that a name in {@code column} holds {@code part}, its values added to
     * {@code args} and named by their places there. One pattern is the part's own LIKE, which the
     * trigram index finds and a scan checks once a name: testing the substring as well cost a scan
     * of 20,001 names 9 ms against 5.4, and the index's 11,000 matches of {@code d42} 5.9 ms against
     * 3.6, at a million domains. Many patterns (a two-character part) are tested after the plain
     * substring, so that where the index is missing (V26 could not create it) a scan checks the
     * patterns only on names that hold the part (0.15 s, not 2.7, for such a part's count).
     */
    String condition(String column, String part, List<Object> args) {
        if (patterns.length == 1) {
            args.add(patterns[0]);
            return column + " LIKE $" + args.size();
        }
        args.add(part);
        args.add(patterns);
        return "strpos(" + column + ", $" + (args.size() - 1) + ") > 0 AND " + column + " LIKE ANY ($" + args.size() + "::text[])";
    }

    /** The LIKE pattern of names that hold {@code part} anywhere. */
    static String like(String part) {
        return "%" + part + "%"; // DomainService admits no LIKE wildcard in it
    }
}
