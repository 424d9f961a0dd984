package dev.keyline.certificate.egress;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the request line and headers of one HTTP/1.1 request.
 *
 * <p>HTTP/1.1 keeps the connection by default; {@code Connection: close} is sent only when the
 * connection will not be kept (pooling off), so the server need not hold it open. Every part is ASCII that was validated earlier ({@link OutboundTarget} for the
 * request target, {@link HttpHeader} for fields), so no CR/LF can reach the wire from input.
 */
final class Http1RequestHead {

    private Http1RequestHead() {
    }

    static byte[] encode(OutboundTarget target, ExchangeRequest request) {
        return encode(target, request, false);
    }

    static byte[] encode(OutboundTarget target, ExchangeRequest request, boolean keepAlive) {
        StringBuilder head = new StringBuilder(256)
                .append(request.method()).append(' ').append(target.pathAndQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n");
        for (HttpHeader header : request.headers()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        if (request.sendsContentLength()) {
            head.append("Content-Length: ").append(request.bodyLength()).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
