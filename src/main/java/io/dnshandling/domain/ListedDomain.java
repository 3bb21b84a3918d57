package io.dnshandling.domain;

/** A domain of a list page ({@code GET /domains}), with its certificate's state. */
public record ListedDomain(Domain domain, CertificateState certificateState) {
}
