package io.dnshandling.domain;

/**
 * A name a domain's certificate covers besides the domain itself: its wildcard
 * ({@code *.shop.example.com}), a name under it ({@code www.shop.example.com}) or the wildcard of
 * such a name. Each is proven where the CA will look for its dns-01 value: a wildcard on its base
 * name, so {@code *.shop.example.com} needs nothing beyond the domain's own proof.
 *
 * @param ascii    the name as stored and ordered, in its ASCII form
 * @param provenOn the name whose {@code _acme-challenge} record proves it
 */
public record AdditionalName(String ascii, String provenOn) {

    /** Normalises {@code raw} as a name of {@code domain}; 400 when it is not one. */
    public static AdditionalName parse(DomainName domain, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidDomainNameException("name is required");
        }
        String input = raw.strip();
        boolean wildcard = input.startsWith("*.");
        String rest = wildcard ? input.substring(2) : input;
        if (rest.contains("*")) {
            throw new InvalidDomainNameException("a wildcard has one '*', as its whole leftmost label, such as *." + domain.ascii());
        }
        String base = DomainName.parse(rest).ascii();
        boolean under = base.endsWith("." + domain.ascii());
        if (!under && !base.equals(domain.ascii())) {
            throw new InvalidDomainNameException("'" + base + "' is not " + domain.ascii() + " or a name under it");
        }
        if (!wildcard && base.equals(domain.ascii())) {
            throw new InvalidDomainNameException("'" + base + "' is the domain itself; its certificate always covers it");
        }
        return new AdditionalName(wildcard ? "*." + base : base, base);
    }

    /** Whether the domain's own verification proves this name (the domain's wildcard). */
    public boolean provenByDomain(DomainName domain) {
        return provenOn.equals(domain.ascii());
    }

    /** The absolute name at which this name's proof (and the CA's dns-01 value) is looked up. */
    public String challengeName() {
        return new DomainName(provenOn).challengeName();
    }
}
