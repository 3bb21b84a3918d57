package io.dnshandling.core;

import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections for {@code LISTEN}: a dedicated one per listener, straight to PostgreSQL with the
 * service's own credentials (a transaction-pooling proxy would drop notifications), reconnecting
 * every 500 ms for as long as the service runs.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private final Vertx vertx;
    private final PgConnectOptions options;

    DatabaseNotifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
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
