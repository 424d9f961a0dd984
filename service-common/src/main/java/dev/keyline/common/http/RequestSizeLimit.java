package dev.keyline.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Rejects oversized request bodies with problem+json before anything reads them. Vert.x' own
 * body limit ({@code quarkus.http.limits.max-body-size}) stays as the hard stop for bodies that
 * lie about their length, but it answers in plain text; this check gives clients a real error.
 */
@ApplicationScoped
public class RequestSizeLimit {

    @ConfigProperty(name = "keyline.http.max-request-bytes", defaultValue = "1048576")
    long maxRequestBytes;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"type\":\"urn:keyline:problem:request-too-large\",\"title\":\"Request too large\","
                                + "\"status\":413,\"detail\":\"The request body is larger than " + maxRequestBytes
                                + " bytes\",\"errors\":[{\"field\":\"$\",\"reason\":\"body larger than "
                                + maxRequestBytes + " bytes\"}]}");
                return;
            }
            ctx.next();
        });
    }

    private boolean exceeds(String length) {
        try {
            return Long.parseLong(length.trim()) > maxRequestBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
