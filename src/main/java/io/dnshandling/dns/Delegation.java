package io.dnshandling.dns;

import java.util.Locale;
import org.xbill.DNS.Name;

/**
 * The names a registered domain owns under the served zone, derived from its random project
 * subdomain: {@code <sub>.<zone>} (the ingress host) and {@code _acme-challenge.<sub>.<zone>},
 * the delegation target the customer's {@code _acme-challenge} CNAME points at once, for
 * verification and every certificate after it. The one definition of both.
 */
public final class Delegation {

    public static final String CHALLENGE_LABEL = "_acme-challenge";

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
