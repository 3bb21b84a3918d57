package io.dnshandling.diagnosis;

import io.dnshandling.delivery.DeploymentStore.Deployment;
import io.dnshandling.diagnosis.DiagnosisFacts.Facts;
import io.dnshandling.domain.DomainStatus;
import java.util.List;
import java.util.Optional;

/** What each delivery target holds of an active domain's current certificate, in sentences. */
final class DeliveryFindings {

    private DeliveryFindings() {
    }

    static List<Check> of(Facts f, List<String> targets, List<Deployment> delivered) {
        if (f.status() != DomainStatus.ACTIVE || f.certificate() == null) {
            return List.of();
        }
        return targets.stream().map(target -> {
            String check = "delivery:" + target;
            Optional<Deployment> d = delivered.stream().filter(x -> x.target().equals(target)).findFirst();
            if (d.isEmpty() || d.get().state().equals("pending")) {
                return Check.problem(check, target + " does not hold the current certificate yet; delivery retries by itself within seconds. "
                        + "If this lasts, see the service's log for that target.");
            }
            if (d.get().state().equals("failed")) {
                return Check.problem(check, "Delivery to " + target + " is failing: " + d.get().lastError() + ". Fix what the error names; "
                        + "delivery retries by itself.");
            }
            if (!f.certificate().serial().equalsIgnoreCase(d.get().serial())) {
                return Check.problem(check, target + " holds the certificate with serial " + d.get().serial() + ", not the current one ("
                        + f.certificate().serial() + "); delivery replaces it by itself within seconds.");
            }
            return Check.ok(check, target + " holds the current certificate (synced at " + d.get().syncedAt() + ").");
        }).toList();
    }
}
