package io.dnshandling.dns;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * A capability that publishes records in the served zone, read from the tables it owns: the
 * records managed through {@code /dns/records}, the names each registered domain implies, the
 * dns-01 values of open orders. {@link ZoneLoader} asks every one of them and knows no table.
 */
public interface ZoneContent {

    /** Adds everything this capability publishes. */
    Uni<Void> addAll(ZoneRecords out);

    /**
     * Adds what it publishes at {@code names} (absolute, stored form) or under the delegation
     * names of {@code projectSubdomains}.
     */
    Uni<Void> addAt(Set<String> names, Set<String> projectSubdomains, ZoneRecords out);
}
