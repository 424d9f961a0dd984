package dev.keyline.certificate.egress;

import java.time.Duration;

/**
 * How connections of one certificate version are kept for reuse; one pool per (checked address,
 * SNI host) of that version.
 *
 * @param maxConnections connections open at once per pool (in use and idle together); an exchange
 *                       that finds all of them busy waits for one up to the connect timeout
 * @param idleTimeout    an idle connection is closed after this long (sooner when the server's
 *                       {@code Keep-Alive: timeout} says so); kept below common server keep-alive
 *                       timeouts (5 s in Node.js and Apache httpd) so that we, not the server, close first
 */
public record PoolSettings(int maxConnections, Duration idleTimeout) {

    /** 8 connections per pool, 4 s idle. */
    public static final PoolSettings DEFAULT = new PoolSettings(8, Duration.ofSeconds(4));

    public PoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections per pool must be at least 1");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative");
        }
    }
}
