package io.dnshandling.issuance;

import java.time.OffsetDateTime;

/** An order as claimed for one step: what the step needs, and the token every write must present. */
public record ClaimedOrder(String id, String token, String domainId, String domainName, String projectSubdomain, String orderUrl,
        OrderState state, int attempts, OffsetDateTime txtDeadline, OffsetDateTime deadline, String keyPem, String lastError,
        String purpose, String replacesCertificateId, OffsetDateTime createdAt, String directory) {

    /** The same claim, one attempt further: what a step retried in place sees. */
    ClaimedOrder nextAttempt() {
        return new ClaimedOrder(id, token, domainId, domainName, projectSubdomain, orderUrl, state, attempts + 1, txtDeadline, deadline,
                keyPem, lastError, purpose, replacesCertificateId, createdAt, directory);
    }

    /** A renewal or re-issue: the domain stays active whatever the outcome. */
    public boolean renewal() {
        return !"issue".equals(purpose);
    }
}
