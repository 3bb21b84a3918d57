package io.dnshandling.domain;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.IDNA;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer's domain name in the one form the service stores and compares: trimmed, lower-case,
 * without the trailing dot, internationalised labels in their ASCII {@code xn--} form.
 *
 * <p>Conversion follows UTS #46 non-transitional processing (what browsers and CAs apply, so
 * {@code faß.de} stays distinct from {@code fass.de}) with the STD3 hostname rules: letters,
 * digits and hyphens only. A name must also be one a CA can issue for: at least two labels, not an
 * IP address, not a public suffix such as {@code co.uk} on its own.
 */
public record DomainName(String ascii) {

    static final int MAX_LENGTH = 253;
    static final int MAX_LABEL = 63;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ
            | IDNA.CHECK_CONTEXTO | IDNA.USE_STD3_RULES);
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    /**
     * Normalises and validates {@code input}.
     *
     * @throws InvalidDomainNameException with a message that says what is wrong
     */
    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidDomainNameException("domain_name is required");
        }
        String name = input.strip();
        if (name.startsWith("[") || InetAddresses.isInetAddress(name) || name.indexOf(':') >= 0) {
            throw new InvalidDomainNameException("'" + shorten(input) + "' is an IP address, not a domain name");
        }
        if (name.startsWith("*")) {
            String base = shorten(name.substring(1).replaceFirst("^\\.", ""));
            throw new InvalidDomainNameException("a wildcard is not registered as a domain: register '" + base
                    + "' and add '*." + base + "' to its names (POST /domains/{id}/names)");
        }
        if (name.codePoints().anyMatch(Character::isWhitespace)) {
            throw new InvalidDomainNameException("domain name must not contain spaces");
        }

        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(name, ascii, info);
        String result = ascii.toString();
        // One trailing dot (the DNS root) is accepted and dropped; UTS #46 keeps it, after mapping
        // look-alike dots such as U+3002 to '.'.
        if (result.endsWith(".")) {
            result = result.substring(0, result.length() - 1);
        }
        if (result.isEmpty()) {
            throw new InvalidDomainNameException("domain name must not be empty");
        }
        Set<IDNA.Error> errors = info.getErrors();
        errors.remove(IDNA.Error.EMPTY_LABEL); // re-checked below with a precise message
        errors.remove(IDNA.Error.DOMAIN_NAME_TOO_LONG);
        errors.remove(IDNA.Error.LABEL_TOO_LONG);
        if (!errors.isEmpty()) {
            throw new InvalidDomainNameException("'" + shorten(input) + "' is not a valid domain name: " + describe(errors.iterator().next()));
        }

        String[] labels = result.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidDomainNameException("'" + shorten(input) + "' has an empty label (two dots in a row, or a leading dot)");
            }
            if (label.length() > MAX_LABEL) {
                throw new InvalidDomainNameException("label '" + shorten(label) + "' is " + label.length() + " characters long; at most " + MAX_LABEL + " are allowed");
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new InvalidDomainNameException("label '" + shorten(label) + "' may contain only letters, digits and inner hyphens");
            }
        }
        if (result.length() > MAX_LENGTH) {
            throw new InvalidDomainNameException("domain name is " + result.length() + " characters long in ASCII form; at most " + MAX_LENGTH + " are allowed");
        }
        if (labels.length < 2) {
            throw new InvalidDomainNameException("'" + shorten(input) + "' needs at least two labels, such as example.com");
        }
        if (ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
            // RFC 3696 section 2: a top-level domain is never all-numeric; this also catches
            // dotted IPv4 look-alikes such as 10.0.1 that are not full addresses.
            throw new InvalidDomainNameException("'" + shorten(input) + "' looks like an IP address: a top-level domain is never numeric");
        }
        InternetDomainName parsed = InternetDomainName.from(result);
        if (parsed.isPublicSuffix()) {
            throw new InvalidDomainNameException("'" + result + "' is a public suffix; register a name under it, such as shop." + result);
        }
        return new DomainName(result);
    }

    /** The name at which ownership and dns-01 TXT records are looked up, absolute. */
    public String challengeName() {
        return "_acme-challenge." + ascii + ".";
    }

    @Override
    public String toString() {
        return ascii;
    }

    private static String describe(IDNA.Error error) {
        return switch (error) {
            case LEADING_HYPHEN -> "a label starts with a hyphen";
            case TRAILING_HYPHEN -> "a label ends with a hyphen";
            case HYPHEN_3_4 -> "a label has hyphens in its third and fourth positions without being an xn-- label";
            case DISALLOWED -> "it contains a character that is not allowed in host names";
            case PUNYCODE, INVALID_ACE_LABEL -> "an xn-- label is not valid punycode for a permitted name";
            case LEADING_COMBINING_MARK -> "a label starts with a combining mark";
            case BIDI -> "it mixes right-to-left and left-to-right text in a way IDNA forbids";
            case CONTEXTJ, CONTEXTO_PUNCTUATION, CONTEXTO_DIGITS -> "it uses a joiner, punctuation or digit outside its permitted context";
            case LABEL_HAS_DOT -> "a label contains a dot";
            default -> "it is not a valid internationalised domain name";
        };
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
