package io.dnshandling.core;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Where to continue after work that completed on another thread (dnsjava's selector, the JDK
 * HTTP client): back on the Vert.x context that started it, so reactive database work can go on
 * there. Without a Vert.x context the continuation simply runs where it is.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** The current Vert.x context as an executor. */
    public static Executor current() {
        return of(Vertx.currentContext());
    }

    public static Executor of(Context context) {
        if (context == null) {
            return Runnable::run;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
