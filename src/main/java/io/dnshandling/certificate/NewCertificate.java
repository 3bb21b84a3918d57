package io.dnshandling.certificate;

import java.time.OffsetDateTime;

/** A certificate just downloaded, with its encrypted key and its planned renewal, ready to be stored. */
public record NewCertificate(String chainPem, String keyPem, String serial, String issuer, OffsetDateTime notBefore,
        OffsetDateTime notAfter, OffsetDateTime renewAt, String renewalSource) {
}
