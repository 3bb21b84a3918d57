package io.dnshandling.support;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSON;

/** RFC 7807 problem documents as a CA sends them, for unit tests of what the service makes of them. */
public final class AcmeProblems {

    private AcmeProblems() {
    }

    public static Problem problem(String type, String detail) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.put("detail", detail);
        try {
            URL base = URI.create("https://ca.test/acme/order/1").toURL();
            return new Problem(JSON.fromMap(json), base);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AcmeServerException serverError(String type, String detail) {
        return new AcmeServerException(problem(type, detail));
    }
}
