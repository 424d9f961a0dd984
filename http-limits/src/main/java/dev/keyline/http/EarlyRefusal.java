package dev.keyline.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request refused on the router before anything read its body (a head or a declared
 * length over a limit) with problem+json, in the shape of service-common's problems, and ends the
 * connection: the unread body makes it unusable. One writer for every such refusal, so that each
 * says "Connection: close" and also closes (RFC 9112 9.6), which a header alone does not do; a body
 * still arriving is drained first (a lingering close, bounded in time), so the client reads the
 * answer instead of a reset.
 */
public final class EarlyRefusal {

    /** How long a refused request's unread body is drained before the connection is closed anyway. */
    static final long LINGER_MILLIS = 2_000;

    private EarlyRefusal() {
    }

    /** Sends the problem; over HTTP/1.x closes the connection once it is written, over HTTP/2 ends the stream. */
    public static void send(RoutingContext ctx, int status, String slug, String title, String detail, String field,
            String reason) {
        JsonObject problem = new JsonObject()
                .put("type", "urn:keyline:problem:" + slug)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (field != null) {
            problem.put("errors", new JsonArray().add(new JsonObject().put("field", field).put("reason", reason)));
        }
        String body = problem.encode();
        var response = ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            response.end(body); // the stream ends; the connection's other streams go on
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        response.end(body).onComplete(written -> {
            if (request.isEnded()) {
                connection.close();
                return;
            }
            // A client still sending its body would get a reset instead of this answer if the connection
            // closed under it: drain what it sends, then close at its end or after LINGER_MILLIS at most.
            long timer = ctx.vertx().setTimer(LINGER_MILLIS, id -> connection.close());
            request.handler(discarded -> {
            }).endHandler(end -> {
                ctx.vertx().cancelTimer(timer);
                connection.close();
            }).resume();
        });
    }
}
