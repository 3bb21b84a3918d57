package io.dnshandling.issuance;

import java.time.OffsetDateTime;

/** An order as claimed for one step: what the step needs, and the token every write must present. */
public record ClaimedOrder(String id, String token, String domainId, String domainName, String projectSubdomain, String orderUrl,
        OrderState state, int attempts, OffsetDateTime txtDeadline, OffsetDateTime deadline, String keyPem, String lastError,
        String purpose, String replacesCertificateId, OffsetDateTime createdAt, String directory) {

    /** A renewal or re-issue: the domain stays active whatever the outcome. */
    public boolean renewal() {
        return !"issue".equals(purpose);
    }
}
