package dev.keyline.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
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
 * chunked). A client that hangs up mid-body is logged at DEBUG: nothing was dispatched. The bodies being
 * received at once are held to {@code keyline.http.max-buffered-bytes} (64 MiB) in all, each body
 * counted as its bytes arrive; past it the body that would exceed it gets 503 {@code busy} with Retry-After.
 * <p>
 * Where the app says who sends a body ({@link BodySender}: the services, whose every request with a body
 * needs a bearer token), the sender is verified from the head first, on a worker thread, while the body
 * waits unread (or at once on the event loop when its token was verified a moment ago,
 * {@link BodySender#known}): a request naming nobody gets 401 {@code unauthenticated} at once and nothing of its body
 * is held (before, a client without a token could fill the 64 MiB and make every caller's body 503 for
 * 30 s); and one sender's bodies hold at most {@code keyline.http.max-buffered-bytes-per-caller} (a
 * quarter of the whole by default) at once, so one caller's slow bodies leave the rest to the others.
 * <p>
 * Over HTTP/2 a body is handed on as soon as its declared length has arrived (Vert.x' HTTP/2 request refuses
 * the pause Quarkus REST makes once the stream's end is seen); an HTTP/2 body without {@code content-length}
 * is not read here, and is read on a worker thread as before, with no deadline: the apps therefore serve their
 * API ports over HTTP/1.1 only ({@code quarkus.http.http2=false}).
 * <p>
 * Quarkus REST's non-blocking resource methods (returning {@code Uni} and the like) read their body from the
 * request itself and would see an empty body after this; the apps have no such method that takes a body.
 */
@ApplicationScoped
public class RequestBodyDeadline {

    private static final Logger LOG = Logger.getLogger(RequestBodyDeadline.class);

    public static final String REQUEST_TIMEOUT = "request-timeout";

    /** The same problem type as service-common's WorkRejectedException. */
    static final String BUSY = "busy";

    @ConfigProperty(name = "keyline.http.body-timeout", defaultValue = "30s")
    Duration bodyTimeout;

    @ConfigProperty(name = "keyline.http.max-request-bytes", defaultValue = "1048576")
    long maxRequestBytes;

    /**
     * The bodies being received at once, in all: a body is held in memory until complete, so without a
     * ceiling N slow clients could hold N MiB (a worker thread each bounded that before).
     */
    @ConfigProperty(name = "keyline.http.max-buffered-bytes", defaultValue = "64M")
    MemorySize maxBufferedBytes;

    /**
     * One sender's share of {@code max-buffered-bytes}: a quarter of it when not set, and never less than
     * {@code max-request-bytes}.
     */
    @ConfigProperty(name = "keyline.http.max-buffered-bytes-per-caller")
    Optional<MemorySize> maxBufferedBytesPerCaller;

    @Inject
    Instance<BodySender> senders;

    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong refusedPastShare = new AtomicLong();
    private final AtomicLong refusedPastBudget = new AtomicLong();
    /** Bytes held per verified sender; an entry lives while its sender has a body being received. */
    private final Map<String, Long> bufferedBySender = new ConcurrentHashMap<>();
    private BodySender sender;
    private long perSender;

    @PostConstruct
    void init() {
        sender = senders.isResolvable() ? senders.get() : null;
        // Never less than one body of the largest size: a smaller share would refuse it to everyone.
        perSender = Math.max(maxRequestBytes, maxBufferedBytesPerCaller.map(MemorySize::asLongValue)
                .orElse(maxBufferedBytes.asLongValue() / 4));
    }

    /** The bytes of the bodies being received now, in all (a gauge for dashboards; tests wait on it). */
    public long bufferedBytes() {
        return buffered.get();
    }

    /** Bodies answered 503 because their sender's bodies being received would have passed its share. */
    public long refusedPastShare() {
        return refusedPastShare.get();
    }

    /** Bodies answered 503 because all bodies being received would have passed {@code max-buffered-bytes}. */
    public long refusedPastBudget() {
        return refusedPastBudget.get();
    }

    void install(@Observes Router router) {
        // After the head limits (Integer.MIN_VALUE + 1): a head past them is refused before its length is looked at.
        router.route().order(Integer.MIN_VALUE + 2).handler(this::read);
    }

    private void read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = length == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING,
                HttpHeaders.CHUNKED, true);
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (http2 && length == null) {
            // Over HTTP/2 the body must be handed on before the stream's end is seen (below); without a length
            // that moment is unknown, so such a body is left to Quarkus REST as before (see the class comment).
            ctx.next();
            return;
        }
        if (request.isEnded() || ctx.getBody() != null || (length == null && !chunked)) {
            ctx.next();
            return;
        }
        Reading reading = new Reading(ctx, http2);
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
            // Counted as it arrives, not as declared: a large Content-Length followed by nothing costs a client
            // nothing, and reserving it whole let anyone, before any token is checked, take the budget.
            reading.declared = declared;
        }
        if (sender == null) {
            reading.start(chunked);
            return;
        }
        String known = sender.known(request.headers());
        if (known != null) {
            reading.sender = known;
            reading.start(chunked);
            return;
        }
        // The body stays unread (paused: TCP's window pushes back on the client) while the head is checked.
        request.pause();
        ctx.vertx().executeBlocking(() -> sender.verify(request.headers()), false).onComplete(verified -> {
            if (ctx.response().closed() || ctx.response().ended()) {
                return; // the client hung up meanwhile
            }
            if (verified.failed() || verified.result().isEmpty()) {
                if (verified.failed()) {
                    LOG.debugf("%s %s: verifying the sender failed: %s", request.method(), request.path(),
                            String.valueOf(verified.cause()));
                }
                unauthenticated(ctx);
                return;
            }
            reading.sender = verified.result().get();
            reading.start(chunked);
        });
    }

    /** One request's body being read: its bytes, its deadline, its share of the buffered bytes. */
    private final class Reading {

        private final RoutingContext ctx;
        private final HttpServerRequest request;
        private final boolean http2;
        private long declared = -1;
        private String sender;
        private final Buffer body = Buffer.buffer();
        private long reserved;
        private long timer = -1;
        private boolean finished;

        Reading(RoutingContext ctx, boolean http2) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.http2 = http2;
        }

        /** Takes {@code bytes} more of the budget, or refuses the request (503 busy) and returns false. */
        boolean reserve(long bytes) {
            reserved += bytes;
            long all = buffered.addAndGet(bytes);
            long mine = sender == null ? 0 : bufferedBySender.merge(sender, bytes, Long::sum);
            if (all <= maxBufferedBytes.asLongValue() && mine <= perSender) {
                return true;
            }
            finish();
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            if (mine > perSender) {
                refusedPastShare.incrementAndGet();
                LOG.debugf("%s %s: the sender's bodies would hold %d bytes; answering 503", request.method(),
                        request.path(), mine);
                EarlyRefusal.send(ctx, 503, BUSY, "Busy", "Your request bodies being received at once have reached "
                        + "your share (" + perSender + " bytes); nothing was changed. Retry in 5 s, or when your "
                        + "other uploads have arrived.", "$", "too many of your request bodies being received at once");
            } else {
                refusedPastBudget.incrementAndGet();
                LOG.debugf("%s %s: %d bytes of bodies already being read; answering 503", request.method(),
                        request.path(), all);
                EarlyRefusal.send(ctx, 503, BUSY, "Busy", "This service is at its limit for request bodies being "
                        + "received (" + maxBufferedBytes.asLongValue() + " bytes in all); nothing was changed. "
                        + "Retry in 5 s.", "$", "too many request bodies being received at once");
            }
            return false;
        }

        /** Ends the reading once: cancels the deadline and gives back the bytes reserved. */
        boolean finish() {
            if (finished) {
                return false;
            }
            finished = true;
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
            }
            buffered.addAndGet(-reserved);
            if (sender != null && reserved > 0) {
                bufferedBySender.computeIfPresent(sender, (who, held) -> held - reserved <= 0 ? null : held - reserved);
            }
            return true;
        }

        void start(boolean chunked) {
            if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                ctx.response().writeContinue(); // only now: a refused sender is never asked for its body
            }
            timer = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> {
                timer = -1;
                if (!finish() || ctx.response().closed() || ctx.response().ended()) {
                    return;
                }
                LOG.debugf("%s %s: body not complete after %d ms (%d bytes read); answering 408", request.method(),
                        request.path(), bodyTimeout.toMillis(), body.length());
                long seconds = bodyTimeout.toSeconds();
                EarlyRefusal.send(ctx, 408, REQUEST_TIMEOUT, "Request timeout",
                        "The request body did not arrive in full within " + seconds + " seconds of the headers",
                        "$", "body not complete within " + seconds + " s");
            });
            request.exceptionHandler(failure -> {
                // The client hung up (or the stream was reset) mid-body: nothing was dispatched, nothing to answer.
                if (finish()) {
                    LOG.debugf("%s %s: body not read in full (%d bytes): %s", request.method(), request.path(),
                            body.length(), String.valueOf(failure));
                }
            });
            request.handler(data -> {
                if (finished) {
                    return;
                }
                if (!reserve(data.length())) {
                    return;
                }
                body.appendBuffer(data);
                if (body.length() > maxRequestBytes) {
                    finish();
                    tooLarge(ctx);
                } else if (http2 && body.length() == declared) {
                    // Vert.x' HTTP/2 request refuses pause() once its end is seen, and Quarkus REST pauses every
                    // request it takes: hand the whole body on now, and leave the end (queued) unread.
                    request.pause();
                    dispatch();
                }
            });
            request.endHandler(end -> dispatch());
            request.resume();
        }

        private void dispatch() {
            if (!finish()) {
                return;
            }
            request.exceptionHandler(null);
            ctx.setBody(body);
            ctx.next();
        }
    }

    /** The services' own 401, sent before the body is read (the body is drained, then the connection closed). */
    private static void unauthenticated(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        EarlyRefusal.send(ctx, 401, "unauthenticated", "Unauthenticated", "A valid bearer token is required", null,
                null);
    }

    private void tooLarge(RoutingContext ctx) {
        RequestTooLarge.send(ctx, maxRequestBytes);
    }
}
