package dev.keyline.certificate.egress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to send: method, caller headers, optional body.
 *
 * <p>Headers that decide message framing or the connection (Host, Content-Length,
 * Transfer-Encoding, Connection, ...) are refused: the client sets them from the target and body,
 * and letting callers set them would allow request smuggling or sending a Host that differs from
 * the authorized host.
 *
 * @param method  GET, POST, PUT, PATCH, DELETE or HEAD
 * @param headers caller headers, in order
 * @param body    bytes to send, or {@code null} for none
 */
public record ExchangeRequest(String method, List<HttpHeader> headers, byte[] body) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
            "trailer", "proxy-connection", "expect");

    public ExchangeRequest {
        if (method == null || !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("method must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
        }
        method = method.toUpperCase(Locale.ROOT);
        headers = headers == null ? List.of() : List.copyOf(headers);
        for (HttpHeader header : headers) {
            if (RESERVED_HEADERS.contains(header.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + header.name() + " is set by the client and may not be given");
            }
        }
        body = body == null ? null : body.clone();
    }

    /**
     * Whether sending it twice means the same as sending it once (RFC 9110 9.2.2). Only such a
     * request is sent again on a new connection when a kept connection turns out to have been closed
     * by the server before it answered: the server may or may not have acted on the first copy.
     */
    public boolean idempotent() {
        return !method.equals("POST") && !method.equals("PATCH");
    }

    public static ExchangeRequest get() {
        return new ExchangeRequest("GET", List.of(), null);
    }

    /** From a multi-value header map (as JSON APIs usually carry headers). */
    public static ExchangeRequest of(String method, Map<String, List<String>> headers, byte[] body) {
        List<HttpHeader> list = new ArrayList<>();
        if (headers != null) {
            headers.forEach((name, values) -> {
                if (values == null) {
                    throw new IllegalArgumentException("header " + name + " has no value");
                }
                values.forEach(value -> list.add(new HttpHeader(name, value)));
            });
        }
        return new ExchangeRequest(method, list, body);
    }

    /** A copy, so the request stays immutable. */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** Body length without copying it. */
    public int bodyLength() {
        return body == null ? 0 : body.length;
    }

    /** Whether a Content-Length is sent: with a body, and for methods whose servers expect one (411 otherwise). */
    boolean sendsContentLength() {
        return body != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** The body array itself, for writing to the socket without a copy. */
    byte[] bodyBytes() {
        return body;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExchangeRequest that && method.equals(that.method) && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, headers, Arrays.hashCode(body));
    }

    /** Header values and the body may carry secrets: print sizes only. */
    @Override
    public String toString() {
        return "ExchangeRequest[" + method + ", headers=" + headers + ", body=" + bodyLength() + " bytes]";
    }
}
