package io.dnshandling.delivery;

import io.dnshandling.certificate.CertificateStore.Deliverable;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * A TLS terminator that holds certificates. A pass compares what it holds with {@code desired}
 * and corrects it: adds what is missing, replaces what differs, removes what this service put
 * there and no longer wants. Reconciled, not remembered: a target that restarted empty, or was
 * edited by hand, is back in shape after one pass.
 */
public interface DeliveryTarget {

    /** Stable name, as shown in the API and metrics: {@code kubernetes:<namespace>}, {@code haproxy:<socket>}. */
    String name();

    /**
     * Makes the target hold exactly {@code desired}, but leaves whatever it holds for the domains in
     * {@code untouched} (current, but their bundle could not be built this pass) as it is. Returns,
     * by domain id, why a domain could not be delivered (absent: it is in place). Fails as a whole
     * when the target cannot be reached.
     */
    Uni<Map<String, String>> sync(List<Bundle> desired, List<Deliverable> untouched);
}
