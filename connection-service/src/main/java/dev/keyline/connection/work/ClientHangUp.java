package dev.keyline.connection.work;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Whether the HTTP client of the current request has hung up: its connection closed (or failed)
 * before the answer was sent. Work that waits on Snowflake for a client watches this beside its
 * deadline ({@link dev.keyline.connection.snowflake.SnowflakeGateway}), so a client that fires tests
 * at a Snowflake that never answers and hangs up does not keep session slots and its share of the
 * pool until {@code timeoutSecs}.
 *
 * <p>
 * Watched through Vert.x Web's end handlers ({@link RoutingContext#addEndHandler}), which any number
 * of parties may add and which fail when the connection closes before the response ended, registered
 * on the event loop for every request before it is dispatched: the response's single close handler,
 * which Quarkus REST and Vert.x Web set themselves, is left alone, and the resource method may run on
 * a worker thread.
 */
@ApplicationScoped
public class ClientHangUp {

    private static final String KEY = ClientHangUp.class.getName();
    /** After http-limits' handlers (their bodies are read whole by then), before Quarkus REST's. */
    private static final int ORDER = Integer.MIN_VALUE + 10;
    /** Set while work runs that the service owes whatever the client does ({@link #regardless}). */
    private static final ThreadLocal<Boolean> REGARDLESS = new ThreadLocal<>();

    @Inject
    CurrentVertxRequest request;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ClientHangUp::watch);
    }

    private static void watch(RoutingContext rc) {
        CompletableFuture<Void> hungUp = new CompletableFuture<>();
        rc.put(KEY, hungUp);
        rc.addEndHandler(end -> {
            if (end.failed()) {
                hungUp.complete(null);
            }
        });
        rc.next();
    }

    /**
     * Completes when the current request's client hangs up (completed already when it has). Never
     * completes outside a request, or within {@link #regardless}. Completing the returned future
     * signals nothing to anyone else.
     */
    public CompletableFuture<Void> signal() {
        CompletableFuture<Void> hungUp = current();
        return hungUp == null ? new CompletableFuture<>() : hungUp.copy();
    }

    /** Whether the current request's client has hung up already. */
    public boolean hungUp() {
        CompletableFuture<Void> hungUp = current();
        return hungUp != null && hungUp.isDone();
    }

    /**
     * Runs work the service owes whether or not the client still waits for it (the undo of a change
     * half made): a hang-up does not stop it.
     */
    public <T> T regardless(Supplier<T> work) {
        Boolean outer = REGARDLESS.get();
        REGARDLESS.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                REGARDLESS.remove();
            }
        }
    }

    private CompletableFuture<Void> current() {
        if (REGARDLESS.get() != null || !Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext rc = request.getCurrent();
        return rc == null ? null : rc.get(KEY);
    }
}
