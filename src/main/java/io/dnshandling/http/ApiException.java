package io.dnshandling.http;

/**
 * A failure the caller should see with a given HTTP status and reason. Services throw it (or fail
 * a {@code Uni} with it); {@link ErrorMappers} turns it into the {@code {"error": …}} body.
 */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException failedDependency(String message) {
        return new ApiException(424, message);
    }
}
