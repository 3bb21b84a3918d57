package io.dnshandling.http;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one error body of this API, whatever the status: {@code {"error": "…"}}. */
@Schema(name = "Error", description = "Every failure, whatever its status")
public record ApiError(
        @Schema(description = "Human-readable reason", examples = "domain not found") String error) {
}
