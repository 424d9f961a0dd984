package dev.keyline.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.keyline.http.EarlyRefusal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Rejects oversized request bodies with problem+json before anything reads them. Vert.x' own
 * body limit ({@code quarkus.http.limits.max-body-size}) stays as the hard stop for bodies that
 * lie about their length, but it answers with an empty body; this check gives clients a real error.
 * A body sent without a length (chunked) is counted while it is read: {@link StreamedBodyLimit}.
 */
@ApplicationScoped
public class RequestSizeLimit {

    @ConfigProperty(name = "keyline.http.max-request-bytes", defaultValue = "1048576")
    long maxRequestBytes;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                EarlyRefusal.send(ctx, 413, TYPE, TITLE, detail(maxRequestBytes), "$", reason(maxRequestBytes));
                return;
            }
            ctx.next();
        });
    }

    /** The problem type both this check and {@link StreamedBodyLimit}'s answer use. */
    public static final String TYPE = "request-too-large";

    public static final String TITLE = "Request too large";

    public static String detail(long maxRequestBytes) {
        return "The request body is larger than " + maxRequestBytes + " bytes";
    }

    public static String reason(long maxRequestBytes) {
        return "body larger than " + maxRequestBytes + " bytes";
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxRequestBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
