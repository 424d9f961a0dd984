package dev.keyline.certificate.egress;

import java.time.Duration;

/**
 * Bounds on one outbound call, so a slow or hostile server cannot hold a worker thread or memory.
 *
 * @param connectTimeout   TCP connect only
 * @param readTimeout      TOTAL deadline for everything after the TCP connect: TLS handshake,
 *                         sending the request, and receiving the whole response (not per read, so a
 *                         server trickling one byte at a time still ends on time)
 * @param maxResponseBytes response body bytes kept; beyond it the body is cut and marked truncated
 */
public record Limits(Duration connectTimeout, Duration readTimeout, int maxResponseBytes) {

    /** 5 s to connect, 30 s for the rest, 1 MiB of body. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(30), 1024 * 1024);

    public Limits {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive and below 24 days");
        }
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()
                || readTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("read timeout must be positive and below 24 days");
        }
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("max response bytes must not be negative");
        }
    }
}
