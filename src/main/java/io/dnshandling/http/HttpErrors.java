package io.dnshandling.http;

import java.util.Collection;
import java.util.Map;

/** Wording shared by the JAX-RS mappers and the Vert.x-level handlers. */
final class HttpErrors {

    private HttpErrors() {
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "missing or invalid bearer token";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 406 -> "only application/json responses are available";
            case 413 -> "request body too large";
            case 415 -> "request body must be application/json";
            default -> status >= 500 ? "internal error" : "request failed";
        };
    }

    static String jsonType(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a JSON object";
    }
}
