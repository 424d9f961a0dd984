package dev.keyline.certificate.egress;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One verified TLS connection to a checked address, kept between exchanges.
 *
 * <p>The response stream and its buffer live as long as the connection: a response is read only
 * up to where its framing ends, so whatever the buffer holds belongs to this connection alone.
 */
final class PooledConnection {

    private final Socket raw;
    private final SSLSocket ssl;
    private final DeadlineInputStream deadlineStream;
    private final BufferedInputStream in;
    private final OutputStream out;
    private final SSLSession session;
    private long idleSinceNanos;
    private long idleLimitNanos;

    PooledConnection(Socket raw, SSLSocket ssl, long deadlineNanos) throws IOException {
        this.raw = raw;
        this.ssl = ssl;
        this.session = ssl.getSession();
        this.deadlineStream = new DeadlineInputStream(ssl.getInputStream(), ssl, deadlineNanos);
        this.in = new BufferedInputStream(deadlineStream, 16 * 1024);
        this.out = ssl.getOutputStream();
    }

    Socket raw() {
        return raw;
    }

    SSLSession session() {
        return session;
    }

    OutputStream out() {
        return out;
    }

    BufferedInputStream in() {
        return in;
    }

    /** Starts the next exchange on this connection under its own deadline. */
    void restart(long deadlineNanos) {
        deadlineStream.restart(deadlineNanos);
    }

    long responseBytes() {
        return deadlineStream.bytesRead();
    }

    /** Whether bytes arrived that no response accounts for (the connection is then not reused). */
    boolean hasUnreadBytes() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    void idleSince(long nowNanos, long limitNanos) {
        this.idleSinceNanos = nowNanos;
        this.idleLimitNanos = limitNanos;
    }

    boolean expired(long nowNanos) {
        return ssl.isClosed() || raw.isClosed() || nowNanos - idleSinceNanos >= idleLimitNanos;
    }

    /** Sends close_notify when the peer still reads promptly, and always closes the TCP connection. */
    void close() {
        try {
            ssl.setSoTimeout(100);
            ssl.close();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway below
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
