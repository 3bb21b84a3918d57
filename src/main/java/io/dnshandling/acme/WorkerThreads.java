package io.dnshandling.acme;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where blocking work runs: acme4j's HTTP calls and key generation go to the worker pool, never
 * an event loop, and the result comes back on the caller's Vert.x context so reactive database
 * work can continue there. Unordered, so independent orders proceed in parallel.
 */
@ApplicationScoped
public class WorkerThreads {

    private final Vertx vertx;

    public WorkerThreads(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> run(BlockingCall<T> call) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return call.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new Checked(e);
            }
        }), false).onFailure(Checked.class).transform(Throwable::getCause);
    }

    @FunctionalInterface
    public interface BlockingCall<T> {
        T run() throws Exception;
    }

    /** Carries a checked exception out of the worker thread; unwrapped before callers see it. */
    private static final class Checked extends RuntimeException {
        Checked(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
