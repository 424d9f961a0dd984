package dev.keyline.http;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.core.VertxException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers the requests Vert.x Web's router refuses before any route (HTTP/1.1 without {@code Host}, HTTP/2
 * without {@code :authority}, such as an HTTP/2 preface sent to these HTTP/1.1 ports, or a path not starting
 * with {@code /}) with problem+json, and logs them at DEBUG. Without it Quarkus' error handler answered a JSON
 * body with an error id, not a problem, and logged an ERROR line for each: any client, with no token, could
 * write ERROR lines at will.
 */
@ApplicationScoped
public class UnroutableRequests {

    private static final Logger LOG = Logger.getLogger(UnroutableRequests.class);

    /** Vert.x Web's own texts for these refusals: fixed, so they are passed on as the detail. */
    private static final Set<String> ROUTER_REASONS = Set.of("For HTTP/1.x requests, the 'Host' header is required",
            "For HTTP/2 requests, the ':authority' pseudo-header is required",
            "The request path must start with '/' and cannot be empty");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refuse);
    }

    private void refuse(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (ctx.statusCode() != 400 || !(failure instanceof VertxException)
                || !ROUTER_REASONS.contains(failure.getMessage()) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        LOG.debugf("Refused before routing: %s", failure.getMessage());
        EarlyRefusal.send(ctx, 400, "bad-request", "Bad request", failure.getMessage(), "$",
                "the request cannot be routed");
    }
}
