package io.dnshandling.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;

/**
 * Checks every API response a test receives against the OpenAPI document the service itself
 * serves ({@code /q/openapi}): its status must be one the operation documents, and its body must
 * match the schema documented for that status. Requests are not checked, since the tests send
 * malformed ones on purpose; a request to no documented operation (a wrong method, an unknown
 * path) has no documented response to check. Installed before every {@code @QuarkusTest} class, as
 * a Quarkus test callback (src/test/resources/META-INF/services), and counted: the count is written
 * to {@code target/openapi-validated-responses.txt} when the test JVM ends.
 */
public final class DocumentedResponses implements OrderedFilter, QuarkusTestBeforeClassCallback {

    static final DocumentedResponses FILTER = new DocumentedResponses();
    private static final Set<String> NO_OPERATION = Set.of("validation.request.path.missing", "validation.request.operation.notAllowed");
    /**
     * The count is kept in a file of this test JVM, one byte per response: each test profile
     * restarts the application in a class loader of its own, with its own copy of this class, and
     * every copy adds to the same file. When the JVM ends, its size is the count.
     */
    private static final Path TALLY = Path.of("target", "openapi-validated", ProcessHandle.current().pid() + ".tally");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                long count = Files.exists(TALLY) ? Files.size(TALLY) : 0;
                Files.writeString(Path.of("target", "openapi-validated-responses.txt"), count + "\n");
            } catch (IOException e) {
                // a missing target directory (a run outside Maven) only loses the count
            }
        }));
    }

    private volatile OpenApiInteractionValidator validator;
    private volatile int validatorPort;

    @Override
    public void beforeClass(Class<?> testClass) {
        synchronized (DocumentedResponses.class) {
            if (!RestAssured.filters().contains(FILTER)) {
                RestAssured.filters(FILTER);
            }
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        String path = URI.create(request.getURI()).getPath();
        if (path.equals("/q") || path.startsWith("/q/") || request.getPort() == Management.port()) {
            return response;
        }
        ValidationReport report = validator().validateResponse(path, Request.Method.valueOf(request.getMethod()), RestAssuredResponse.of(response));
        if (report.getMessages().stream().anyMatch(m -> NO_OPERATION.contains(m.getKey()))) {
            return response;
        }
        if (report.hasErrors()) {
            List<String> errors = report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .map(m -> m.getKey() + ": " + m.getMessage()).collect(Collectors.toList());
            throw new AssertionError(request.getMethod() + " " + path + " answered " + response.statusCode()
                    + ", which the OpenAPI document does not describe: " + errors + "\nbody: " + response.asString());
        }
        tally();
        return response;
    }

    private static synchronized void tally() {
        try {
            Files.createDirectories(TALLY.getParent());
            Files.write(TALLY, new byte[] {'.'}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document of the running service, read once per service start (a test profile restarts it). */
    private OpenApiInteractionValidator validator() {
        int port = Management.port();
        if (validator == null || validatorPort != port) {
            synchronized (this) {
                if (validator == null || validatorPort != port) {
                    String document = Management.given().accept("application/json").get("/q/openapi?format=json").asString();
                    validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
                    validatorPort = port;
                }
            }
        }
        return validator;
    }

    @Override
    public int getOrder() {
        return OrderedFilter.LOWEST_PRECEDENCE;
    }
}
