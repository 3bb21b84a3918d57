package io.dnshandling.core;

import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections for {@code LISTEN}: a dedicated one per listener, straight to PostgreSQL with the
 * service's own credentials, reconnecting every 500 ms for as long as the service runs. A
 * transaction-pooling proxy (PgBouncer in transaction mode) would drop notifications: when the
 * pool goes through one, {@code DATABASE_LISTEN_URL} points these connections at PostgreSQL itself.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private final Vertx vertx;
    private final PgConnectOptions options;

    DatabaseNotifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String poolUrl,
            @ConfigProperty(name = "database.listen-url") Optional<String> listenUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        String url = listenUrl.filter(u -> !u.isBlank()).orElse(poolUrl);
        PgConnectOptions o = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(o::setUser);
        password.ifPresent(o::setPassword);
        this.options = o;
    }

    /** A new subscriber, not yet connected. */
    public PgSubscriber subscriber() {
        return PgSubscriber.subscriber(io.vertx.mutiny.core.Vertx.newInstance(vertx), options).reconnectPolicy(retries -> 500L);
    }
}
