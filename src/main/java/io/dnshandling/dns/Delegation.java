package io.dnshandling.dns;

import java.util.Locale;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;

/**
 * The names a registered domain owns under the served zone, derived from its random project
 * subdomain: {@code <sub>.<zone>} (the ingress host) and {@code _acme-challenge.<sub>.<zone>},
 * the delegation target the customer's {@code _acme-challenge} CNAME points at once, for
 * verification and every certificate after it. The one definition of both.
 */
public final class Delegation {

    public static final String CHALLENGE_LABEL = "_acme-challenge";
    /** The label space of project subdomains (20 base32 characters): reserved, whether in use, released or never used. */
    private static final Pattern PROJECT_LABEL = Pattern.compile("[a-z2-7]{20}");

    private Delegation() {
    }

    /** {@code <sub>.<zone>}. */
    public static Name host(String projectSubdomain, Name zone) {
        return Zone.child(projectSubdomain, zone);
    }

    /** {@code _acme-challenge.<sub>.<zone>}. */
    public static Name target(String projectSubdomain, Name zone) {
        return Zone.child(CHALLENGE_LABEL, host(projectSubdomain, zone));
    }

    /** {@code _acme-challenge.<sub>.<baseDomain>} as customers write it, without the trailing dot. */
    public static String target(String projectSubdomain, String baseDomain) {
        return CHALLENGE_LABEL + "." + projectSubdomain + "." + baseDomain;
    }

    /**
     * The label directly under {@code zone} of {@code name} when it lies in the project-subdomain
     * label space, at any depth; null otherwise. No record may be written there through the API:
     * a delegation target stays the service's even after its domain is deleted.
     */
    public static String reservedLabelOf(Name name, Name zone) {
        int extra = name.labels() - zone.labels();
        if (!name.subdomain(zone) || extra < 1) {
            return null;
        }
        String label = name.getLabelString(extra - 1).toLowerCase(Locale.ROOT);
        return PROJECT_LABEL.matcher(label).matches() ? label : null;
    }

    /** {@code sub} when {@code name} is {@code <sub>.<zone>} or {@code _acme-challenge.<sub>.<zone>}; null otherwise. */
    public static String projectSubdomainOf(Name name, Name zone) {
        int extra = name.labels() - zone.labels();
        if (!name.subdomain(zone) || extra < 1 || extra > 2) {
            return null;
        }
        if (extra == 2 && !name.getLabelString(0).equalsIgnoreCase(CHALLENGE_LABEL)) {
            return null;
        }
        return name.getLabelString(extra - 1).toLowerCase(Locale.ROOT);
    }
}
