package io.dnshandling.verification;

import java.util.List;

/**
 * What a TXT lookup found at a name, after following CNAMEs: the values (each record's strings
 * joined, as ACME validators do), and the aliases passed on the way. An empty list means the name
 * does not exist or has no TXT records; resolver failures are {@link DnsLookupException}s instead.
 */
public record TxtAnswer(String queried, List<String> values, List<String> aliases, boolean nameExists) {

    public boolean contains(String value) {
        return values.contains(value);
    }
}
