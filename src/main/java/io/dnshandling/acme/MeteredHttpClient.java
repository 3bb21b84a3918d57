package io.dnshandling.acme;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client acme4j talks to the CA through, counting every request in
 * {@code acme_requests_total{endpoint, method, status}}. The endpoint is the first path segment
 * of the CA's URL (new-order, authz, finalize … as the CA names them): a handful per CA, never
 * per domain.
 */
final class MeteredHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final MeterRegistry metrics;

    MeteredHttpClient(HttpClient delegate, MeterRegistry metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            HttpResponse<T> response = delegate.send(request, handler);
            count(request, String.valueOf(response.statusCode()));
            return response;
        } catch (IOException e) {
            count(request, "error");
            throw e;
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler).whenComplete((r, e) -> count(request, e == null ? String.valueOf(r.statusCode()) : "error"));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        return delegate.sendAsync(request, handler, push).whenComplete((r, e) -> count(request, e == null ? String.valueOf(r.statusCode()) : "error"));
    }

    private void count(HttpRequest request, String status) {
        Counter.builder("acme.requests").description("Requests to the ACME CA")
                .tag("endpoint", endpoint(request.uri())).tag("method", request.method()).tag("status", status)
                .register(metrics).increment();
    }

    static String endpoint(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String first = path.replaceFirst("^/+", "");
        int slash = first.indexOf('/');
        String segment = slash < 0 ? first : first.substring(0, slash);
        // Some CAs put the resource type after a version prefix (…/acme/new-order): keep both.
        if (segment.equals("acme") || segment.startsWith("v")) {
            String rest = slash < 0 ? "" : first.substring(slash + 1);
            int next = rest.indexOf('/');
            segment = segment + "/" + (next < 0 ? rest : rest.substring(0, next));
        }
        return segment.isEmpty() ? "/" : segment.length() > 40 ? segment.substring(0, 40) : segment;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
