package dev.keyline.certificate.egress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Turns the socket's per-read timeout into one deadline for the whole response: before each read
 * the timeout is set to the time left. A per-read timeout alone would let a server that sends one
 * byte every few seconds keep the call open forever. A pooled connection keeps its stream (and the
 * buffer above it) across exchanges; each exchange {@link #restart(long) restarts} it with its own deadline.
 */
final class DeadlineInputStream extends FilterInputStream {

    private final Socket socket;
    private long deadlineNanos;
    private long bytesRead;

    DeadlineInputStream(InputStream in, Socket socket, long deadlineNanos) {
        super(in);
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        int b = super.read();
        if (b >= 0) {
            bytesRead++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        armTimeout();
        int n = super.read(b, off, len);
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /** A new exchange on the same connection: its own deadline, and no bytes read yet. */
    void restart(long newDeadlineNanos) {
        this.deadlineNanos = newDeadlineNanos;
        this.bytesRead = 0;
    }

    /** Whether the server answered at all tells a rejected TLS 1.3 client certificate from a broken response. */
    long bytesRead() {
        return bytesRead;
    }

    private void armTimeout() throws IOException {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("response deadline reached");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
    }
}
