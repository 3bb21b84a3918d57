package io.dnshandling.certificate;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A certificate just downloaded, ready to be stored as row {@code id}: its key encrypted for that
 * row ({@link CertificateStore#keyAt}), and its planned renewal.
 */
public record NewCertificate(String id, String chainPem, String keyPem, String serial, String issuer, OffsetDateTime notBefore,
        OffsetDateTime notAfter, OffsetDateTime renewAt, String renewalSource, List<String> names) {
}
