package io.dnshandling.dns;

import com.ibm.icu.text.IDNA;
import io.dnshandling.core.InvalidRequestException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Parses DNS owner names and targets given through the API: trimmed, lower-cased, one trailing dot
 * optional, Unicode converted to xn-- (UTS #46). Unlike customer host names these may hold
 * underscore labels ({@code _acme-challenge}, {@code _sip._tcp}).
 */
public final class DnsNames {

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");

    private DnsNames() {
    }

    /** {@code input} as an absolute name; {@code what} names the field in error messages. */
    public static Name absolute(String input, String what) {
        if (input == null || input.isBlank()) {
            throw new InvalidRequestException(what + " is required");
        }
        String s = input.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.chars().allMatch(c -> c < 0x80)) {
            StringBuilder ascii = new StringBuilder();
            IDNA.Info info = new IDNA.Info();
            UTS46.nameToASCII(s, ascii, info);
            if (info.hasErrors()) {
                throw new InvalidRequestException(what + " '" + input.strip() + "' is not a valid internationalised name");
            }
            s = ascii.toString();
        }
        if (s.isEmpty()) {
            throw new InvalidRequestException(what + " must not be empty");
        }
        if (s.length() > 253) {
            throw new InvalidRequestException(what + " is longer than 253 characters");
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidRequestException(what + " '" + input.strip() + "' is not a valid DNS name: labels are 1-63 letters, digits, hyphens or underscores, not starting or ending with a hyphen");
            }
        }
        try {
            return Name.fromString(s + ".");
        } catch (TextParseException e) {
            throw new InvalidRequestException(what + " '" + input.strip() + "' is not a valid DNS name");
        }
    }

    /**
     * An owner name inside {@code zone}: a relative name is taken relative to it, {@code @} is
     * the zone itself, an absolute one must lie inside it.
     */
    public static Name inZone(String input, Name zone) {
        if (input != null && input.strip().equals("@")) {
            return zone;
        }
        String s = input == null ? null : input.strip().toLowerCase(Locale.ROOT);
        Name zoneName = zone;
        String zoneText = zoneName.toString(true).toLowerCase(Locale.ROOT);
        Name name;
        if (s != null && !s.endsWith(".") && !(s.equals(zoneText) || s.endsWith("." + zoneText))) {
            name = absolute(s + "." + zoneText, "name");
        } else {
            name = absolute(s, "name");
        }
        if (!name.subdomain(zone)) {
            throw new InvalidRequestException("name " + name + " is outside the served zone " + zone);
        }
        return name;
    }

    /** Absolute, lower-case, without the trailing dot: the stored form. */
    public static String stored(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
