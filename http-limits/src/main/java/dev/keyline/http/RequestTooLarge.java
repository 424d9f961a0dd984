package dev.keyline.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The one answer to a body over {@code keyline.http.max-request-bytes}, whichever check stopped it: a declared
 * or counted length on the router ({@link RequestBodyDeadline}), or a body the resource's reader counted
 * (service-common's {@code StreamedBodyLimit}, through its problem mappers).
 */
public final class RequestTooLarge {

    public static final String TYPE = "request-too-large";

    public static final String TITLE = "Request too large";

    private RequestTooLarge() {
    }

    public static String detail(long maxRequestBytes) {
        return "The request body is larger than " + maxRequestBytes + " bytes";
    }

    public static String reason(long maxRequestBytes) {
        return "body larger than " + maxRequestBytes + " bytes";
    }

    /** Answers on the router, before anything read the body, and closes the connection ({@link EarlyRefusal}). */
    static void send(RoutingContext ctx, long maxRequestBytes) {
        EarlyRefusal.send(ctx, 413, TYPE, TITLE, detail(maxRequestBytes), "$", reason(maxRequestBytes));
    }
}
