package io.dnshandling.domain.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dnshandling.dns.Delegation;
import io.dnshandling.domain.CertificateState;
import io.dnshandling.domain.Domain;
import io.dnshandling.domain.DomainStatus;
import io.dnshandling.domain.ListedDomain;
import io.dnshandling.domain.NameRows;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the /domains endpoints. */
public final class DomainViews {

    private DomainViews() {
    }

    @Schema(name = "RegisterDomainRequest")
    public record RegisterRequest(
            @JsonProperty("domain_name")
            @Schema(required = true, description = "The customer's domain; Unicode names are converted to their xn-- form", examples = "shop.example.com")
            String domainName) {
    }

    @Schema(name = "RegisteredDomain", description = "A newly registered domain, with what the customer must publish")
    public record Registered(
            String id,
            @JsonProperty("domain_name") String domainName,
            @JsonProperty("verification_token") String verificationToken,
            @JsonProperty("project_subdomain") String projectSubdomain,
            DomainStatus status,
            String instructions,
            @JsonProperty("claim_expires_at") @Schema(description = "When this registration lapses if it is not verified by then (PENDING_TTL)")
            Instant claimExpiresAt,
            @JsonProperty("created_at") Instant createdAt) {

        static Registered of(Domain d, String baseDomain) {
            return new Registered(d.id, d.domainName, d.verificationToken, d.projectSubdomain, d.status,
                    DomainViews.instructions(d, baseDomain), d.claimExpiresAt, d.createdAt);
        }
    }

    @Schema(name = "Domain")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(
            String id,
            @JsonProperty("domain_name") String domainName,
            DomainStatus status,
            @JsonProperty("certificate_state") @Schema(description = "On GET /domains/{id} and the list: whether the current certificate "
                    + "is still good, whatever the status says. none (no certificate yet), valid, renewing (renewal due or under way, or "
                    + "retrying after a failure), expiring (ends within 7 days, or within a tenth of its lifetime if shorter), expired, revoked")
            CertificateState certificateState,
            @JsonProperty("verified_at") @Schema(description = "Present once verification succeeded") Instant verifiedAt,
            @JsonProperty("claim_expires_at") @Schema(description = "Present while pending: when the registration lapses unless verified "
                    + "(PENDING_TTL); a lapsed registration is deleted") Instant claimExpiresAt,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt,
            @JsonProperty("failure_reason") @Schema(description = "Present only while the domain is failed") String failureReason,
            @JsonProperty("renewal_error") @Schema(description = "Present while the renewal of the current certificate is failing "
                    + "(the domain stays active; the service keeps retrying before expiry)") String renewalError,
            @Schema(description = "Present on an active domain when delivery targets are configured: what each target holds "
                    + "of its current certificate") List<Deployment> deployments,
            @JsonProperty("queued_order") @Schema(description = "Present while the domain's order (first issue, re-issue or renewal) waits "
                    + "for the ordering budget or a CA's rate limit") QueuedOrder queuedOrder,
            @Schema(description = "On GET /domains/{id}, when the domain has any: the names its certificate covers besides the domain "
                    + "(see /domains/{id}/names)") List<NameView> names) {

        static View of(Domain d) {
            return of(d, null, null, null, null, null);
        }

        static View of(ListedDomain listed) {
            return of(listed.domain(), listed.certificateState(), null, null, null, null);
        }

        static View of(Domain d, CertificateState certificateState, String renewalError, List<Deployment> deployments, QueuedOrder queued,
                List<NameView> names) {
            return new View(d.id, d.domainName, d.status, certificateState, d.verifiedAt,
                    d.status == DomainStatus.PENDING ? d.claimExpiresAt : null, d.createdAt, d.updatedAt,
                    d.status == DomainStatus.FAILED ? d.failureReason : null, renewalError, deployments, queued,
                    names == null || names.isEmpty() ? null : names);
        }
    }

    @Schema(name = "Deployment", description = "One delivery target's copy of the domain's current certificate")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Deployment(
            @Schema(description = "kubernetes:<namespace> or haproxy:<admin socket>") String target,
            @Schema(description = "synced (holds the current certificate), pending (not yet delivered), failed (see last_error)",
                    enumeration = {"synced", "pending", "failed"}) String state,
            @Schema(description = "Serial (hex) of the certificate the target was last given") String serial,
            @JsonProperty("synced_at") @Schema(description = "When the target last received or confirmed it") Instant syncedAt,
            @JsonProperty("last_error") @Schema(description = "Why the last delivery failed") String lastError) {
    }

    @Schema(name = "QueuedOrder", description = "An order not yet sent to the CA: it goes by itself once the budget has room")
    public record QueuedOrder(
            @Schema(description = "The earliest time it is sent") Instant until,
            @Schema(description = "Which budget it waits for") String reason) {
    }

    @Schema(name = "AddNameRequest")
    public record NameRequest(
            @Schema(required = true, description = "The domain's wildcard, a name under the domain, or the wildcard of one",
                    examples = "*.shop.example.com") String name) {
    }

    @Schema(name = "DomainNameEntry", description = "A name the domain's certificate covers besides the domain itself")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NameView(
            @Schema(description = "ASCII form; a wildcard starts with *.") String name,
            @Schema(description = "verified names are on the certificate; pending ones wait for their proof",
                    enumeration = {"pending", "verified"}) String status,
            @Schema(description = "Present while pending: what is missing") String problem,
            @Schema(description = "What the customer sets, once, to prove the name") String instructions,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("verified_at") @Schema(description = "Present once verified") Instant verifiedAt) {

        static NameView of(NameRows.Stored n, String instructions) {
            return new NameView(n.name(), n.status(), n.verified() ? null : n.problem(), n.verified() ? null : instructions, n.createdAt(),
                    n.verifiedAt());
        }
    }

    @Schema(name = "DomainList")
    public record Listing(
            List<View> domains,
            @JsonProperty("next_cursor") @Schema(nullable = true, description = "Pass as ?cursor= for the next page; null on the last page") String nextCursor) {
    }

    /** The two ways to prove ownership, spelled out with the exact records to create. */
    static String instructions(Domain d, String baseDomain) {
        String challenge = d.name().challengeName();
        return "Prove ownership of " + d.domainName + " in one of two ways, then call POST /domains/" + d.id + "/verify. "
                + "Either publish the TXT record " + challenge + " with the value \"" + d.verificationToken + "\", "
                + "or set once the CNAME " + challenge + " -> " + Delegation.target(d.projectSubdomain, baseDomain) + ". "
                + "With the CNAME in place, verification, certificate issuance and every renewal complete without further DNS changes.";
    }
}
