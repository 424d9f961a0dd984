package dev.keyline.certificate.egress;

/**
 * An outbound mTLS call that was attempted and failed. The message is written by us, not copied
 * from the JDK, so it is safe to return to the API caller; the JDK exception stays as the cause
 * for server-side logs.
 */
public class ExchangeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, coarse enough for an API error code and a metric label. */
    public enum Kind {
        /** TCP connect did not complete within the connect timeout. */
        CONNECT_TIMEOUT,
        /** TCP connect was refused or the network was unreachable. */
        CONNECT_REFUSED,
        /** TLS failed for another reason (no common protocol or cipher, unexpected alert, reset during handshake). */
        TLS_HANDSHAKE,
        /** The server's chain does not lead to a trusted CA (or is expired, revoked or uses weak algorithms). */
        CERTIFICATE_UNTRUSTED,
        /** The server's certificate is trusted but not issued for the host called. */
        HOSTNAME_MISMATCH,
        /** The server refused the client certificate (alert bad_certificate, unknown_ca, certificate_required, ...). */
        CLIENT_CERTIFICATE_REJECTED,
        /** The handshake, request or response did not finish before the deadline. */
        READ_TIMEOUT,
        /** The server's answer is not valid HTTP/1.1. */
        PROTOCOL
    }

    private final Kind kind;

    public ExchangeFailedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
