package io.dnshandling.auth;

/** Fired when a request is refused for its token (401 or 403), with the scope its route needed. */
public record TokenRefused(Scope scope) {
}
