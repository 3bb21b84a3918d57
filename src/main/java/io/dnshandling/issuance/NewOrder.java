package io.dnshandling.issuance;

import io.dnshandling.acme.CertificateAuthority.OpenedOrder;
import java.time.Duration;

/** An order to record ({@link OrderStore#insert}): who asked, why, and what the CA answered. */
record NewOrder(String id, String domainId, String directory, OpenedOrder opened, String purpose, String replacesCertificateId,
        Duration txtTimeout, Duration orderTimeout) {
}
