package dev.keyline.http;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The request line and header limits, answered with problem+json (414 {@code uri-too-long}, 431
 * {@code headers-too-large}) instead of Vert.x' empty answer.
 * <p>
 * Vert.x' HTTP decoder refuses a request line or headers over {@code quarkus.http.limits.max-initial-line-length}
 * / {@code max-header-size} through its invalid-request handler, before the router sees the request, and
 * Quarkus 3.36 has no supported way to replace that handler (quarkusio/quarkus#55082). So those two Vert.x
 * limits are raised to a backstop (this module's {@code META-INF/microprofile-config.properties}: 16384 and
 * 64K) and the product's limits, Quarkus' defaults as they were (4096 and 20K), are enforced here, first on
 * the router. Past the backstop Vert.x still answers with its empty 414 / 431 and closes the connection.
 * <p>
 * Sizes are counted as Vert.x counts them: the request line as {@code METHOD SP URI SP HTTP/1.1}, the headers
 * as their {@code Name: value} lines, without line ends.
 */
@ApplicationScoped
public class RequestHeadLimit {

    private static final Logger LOG = Logger.getLogger(RequestHeadLimit.class);

    public static final String URI_TOO_LONG = "uri-too-long";

    public static final String HEADERS_TOO_LARGE = "headers-too-large";

    /** The longest header name echoed back: a name is the client's own text. */
    private static final int MAX_NAME_SHOWN = 64;

    @ConfigProperty(name = "keyline.http.max-request-line-bytes", defaultValue = "4096")
    int maxRequestLineBytes;

    @ConfigProperty(name = "keyline.http.max-header-bytes", defaultValue = "20480")
    int maxHeaderBytes;

    @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length")
    int vertxLineLimit;

    @ConfigProperty(name = "quarkus.http.limits.max-header-size")
    MemorySize vertxHeaderLimit;

    void install(@Observes Router router) {
        if (vertxLineLimit <= maxRequestLineBytes || vertxHeaderLimit.asLongValue() <= maxHeaderBytes) {
            LOG.warnf("quarkus.http.limits.max-initial-line-length (%d) and max-header-size (%d) should exceed "
                    + "keyline.http.max-request-line-bytes (%d) and max-header-bytes (%d): requests between the two "
                    + "get Vert.x' empty 414/431 instead of problem+json", vertxLineLimit,
                    vertxHeaderLimit.asLongValue(), maxRequestLineBytes, maxHeaderBytes);
        }
        // Right after Quarkus' own first routes (start time, access log, quarkus.http.header: the console's
        // security headers), which end nothing, and before anything reads a body.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        // "HTTP/1.1" and "HTTP/1.0" are 8 bytes; an HTTP/2 request, which has no request line, is counted alike.
        int line = request.method().name().length() + 1 + request.uri().length() + 1 + 8;
        if (line > maxRequestLineBytes) {
            EarlyRefusal.send(ctx, 414, URI_TOO_LONG, "URI too long",
                    "The request line (method, URI and HTTP version) is " + line + " bytes; the limit is "
                            + maxRequestLineBytes + " bytes",
                    "uri", "request line longer than " + maxRequestLineBytes + " bytes");
            return;
        }
        long total = 0;
        String largest = null;
        int largestBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            int bytes = header.getKey().length() + 2 + header.getValue().length();
            total += bytes;
            if (bytes > largestBytes) {
                largestBytes = bytes;
                largest = header.getKey();
            }
        }
        if (total > maxHeaderBytes) {
            String name = shown(largest);
            EarlyRefusal.send(ctx, 431, HEADERS_TOO_LARGE, "Request headers too large",
                    "The request headers are " + total + " bytes; the limit is " + maxHeaderBytes
                            + " bytes (the largest, " + name + ", is " + largestBytes + " bytes)",
                    name, "headers larger than " + maxHeaderBytes + " bytes in all; this one is " + largestBytes
                            + " bytes");
            return;
        }
        ctx.next();
    }

    private static String shown(String name) {
        return name.length() <= MAX_NAME_SHOWN ? name : name.substring(0, MAX_NAME_SHOWN) + "…";
    }
}
