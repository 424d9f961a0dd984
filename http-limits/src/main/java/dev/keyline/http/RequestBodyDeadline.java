package dev.keyline.http;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request's body on the event loop, whole, before the request goes on to the resource, and
 * answers 408 {@code request-timeout} problem+json (and closes the connection) when the body has not
 * arrived in full within {@code keyline.http.body-timeout} (30 s) of the headers.
 * <p>
 * Without it Quarkus REST hands a blocking resource method's body to the entity reader as a blocking
 * stream read on a worker thread ({@code quarkus.rest.input-buffer-size} only applies to non-blocking
 * methods): a client sending its body one byte at a time held a worker each, so a few hundred such
 * connections took the whole pool and every other caller waited; and nothing ended them before Vert.x'
 * idle timeout (30 min). Here the body is collected in memory, up to {@code keyline.http.max-request-bytes}
 * (1 MiB, the services' request size limit and the console's {@code max-body-size}), and set as the
 * routing context's body, which Quarkus REST then reads from memory (JSON entities and forms, multipart
 * uploads included). A body past that size gets 413 {@code request-too-large}, declared or counted (sent
 * chunked). A client that hangs up mid-body is logged at DEBUG: nothing was dispatched.
 * <p>
 * Quarkus REST's non-blocking resource methods (returning {@code Uni} and the like) read their body from the
 * request itself and would see an empty body after this; the apps have no such method that takes a body.
 */
@ApplicationScoped
public class RequestBodyDeadline {

    private static final Logger LOG = Logger.getLogger(RequestBodyDeadline.class);

    public static final String REQUEST_TIMEOUT = "request-timeout";

    /** The same problem type and wording as service-common's RequestSizeLimit. */
    static final String REQUEST_TOO_LARGE = "request-too-large";

    @ConfigProperty(name = "keyline.http.body-timeout", defaultValue = "30s")
    Duration bodyTimeout;

    @ConfigProperty(name = "keyline.http.max-request-bytes", defaultValue = "1048576")
    long maxRequestBytes;

    void install(@Observes Router router) {
        // After the head limits (Integer.MIN_VALUE + 1) and service-common's declared-length check (MIN_VALUE).
        router.route().order(Integer.MIN_VALUE + 2).handler(this::read);
    }

    private void read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = length == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING,
                HttpHeaders.CHUNKED, true);
        if (request.isEnded() || ctx.getBody() != null || (length == null && !chunked)) {
            ctx.next();
            return;
        }
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > maxRequestBytes) {
                tooLarge(ctx);
                return;
            }
            if (declared == 0) {
                ctx.next();
                return;
            }
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        Buffer body = Buffer.buffer();
        long[] timer = new long[1];
        boolean[] over = new boolean[1];
        timer[0] = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> {
            if (request.isEnded() || over[0] || ctx.response().closed() || ctx.response().ended()) {
                return;
            }
            over[0] = true;
            LOG.debugf("%s %s: body not complete after %d ms (%d bytes read); answering 408", request.method(),
                    request.path(), bodyTimeout.toMillis(), body.length());
            long seconds = bodyTimeout.toSeconds();
            EarlyRefusal.send(ctx, 408, REQUEST_TIMEOUT, "Request timeout",
                    "The request body did not arrive in full within " + seconds + " seconds of the headers",
                    "$", "body not complete within " + seconds + " s");
        });
        request.exceptionHandler(failure -> {
            ctx.vertx().cancelTimer(timer[0]);
            // The client hung up (or the stream was reset) mid-body: nothing was dispatched, nothing to answer.
            LOG.debugf("%s %s: body not read in full (%d bytes): %s", request.method(), request.path(),
                    body.length(), String.valueOf(failure));
        });
        request.handler(data -> {
            if (over[0]) {
                return;
            }
            body.appendBuffer(data);
            if (body.length() > maxRequestBytes) {
                over[0] = true;
                ctx.vertx().cancelTimer(timer[0]);
                tooLarge(ctx);
            }
        });
        request.endHandler(end -> {
            if (over[0]) {
                return;
            }
            ctx.vertx().cancelTimer(timer[0]);
            request.exceptionHandler(null);
            ctx.setBody(body);
            ctx.next();
        });
        request.resume();
    }

    private void tooLarge(RoutingContext ctx) {
        EarlyRefusal.send(ctx, 413, REQUEST_TOO_LARGE, "Request too large",
                "The request body is larger than " + maxRequestBytes + " bytes", "$",
                "body larger than " + maxRequestBytes + " bytes");
    }
}
