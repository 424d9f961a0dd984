package dev.keyline.certificate.egress;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's answer, returned as is: a 3xx is a result, not something the client follows (a
 * redirect could point the certificate at a host nobody authorized).
 *
 * @param status        HTTP status code
 * @param reason        reason phrase, possibly empty
 * @param headers       response headers in order, names as received
 * @param body          body bytes (de-chunked), at most {@link Limits#maxResponseBytes()}
 * @param truncated     whether the server sent more body than was kept
 * @param tlsProtocol   negotiated protocol, e.g. TLSv1.3
 * @param cipherSuite   negotiated cipher suite
 * @param timing        where the time went
 * @param remoteAddress the address actually connected to, {@code ip:port} (IPv6 bracketed)
 */
public record ExchangeResult(int status, String reason, List<HttpHeader> headers, byte[] body, boolean truncated,
                             String tlsProtocol, String cipherSuite, Timing timing, String remoteAddress) {

    /**
     * @param connectMillis      TCP connect (0 on a kept connection)
     * @param tlsHandshakeMillis TLS handshake (short when the session was resumed, 0 on a kept connection)
     * @param totalMillis        from the start of the exchange (waiting for a pooled connection included)
     *                           to the last response byte
     * @param connectionReused   whether the request went over a kept connection
     */
    public record Timing(double connectMillis, double tlsHandshakeMillis, double totalMillis,
                         boolean connectionReused) {
    }

    public ExchangeResult {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    /** A copy, so the result stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** First value of a header, name compared case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(header -> header.named(name)).map(HttpHeader::value).findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExchangeResult that && status == that.status && truncated == that.truncated
                && reason.equals(that.reason) && headers.equals(that.headers) && Arrays.equals(body, that.body)
                && Objects.equals(tlsProtocol, that.tlsProtocol) && Objects.equals(cipherSuite, that.cipherSuite)
                && timing.equals(that.timing) && remoteAddress.equals(that.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers, Arrays.hashCode(body), truncated, tlsProtocol, cipherSuite,
                timing, remoteAddress);
    }

    /** The body may carry secrets: print its size only. */
    @Override
    public String toString() {
        return "ExchangeResult[" + status + " " + reason + ", headers=" + headers + ", body=" + body.length
                + " bytes" + (truncated ? " (truncated)" : "") + ", " + tlsProtocol + ", " + cipherSuite
                + ", " + timing + ", remote=" + remoteAddress + "]";
    }
}
