package dev.keyline.certificate.egress;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one HTTPS request presenting a client certificate, over a connection to an address that
 * was already checked by {@link EgressPolicy}, reusing a kept connection when one is idle.
 *
 * <p>Why our own small HTTP/1.1 client over JDK {@link SSLSocket}s rather than a library client
 * (Vert.x {@code HttpClient} with {@code RequestOptions.setServer}, Netty, the JDK
 * {@code HttpClient}): the call must connect to the checked IP (not re-resolve the name), still send
 * SNI and verify the certificate for the host name, never follow redirects, stop at one hard
 * deadline and body size, and tell the caller <em>why</em> a server refused the client certificate.
 * That last part rests on seeing the handshake on the calling thread (the key manager marks whether
 * our certificate was sent; TLS 1.3 rejections arrive as alerts or resets after the client's
 * handshake ended), which an event-loop client hides behind its own exceptions and threads. The
 * JDK client cannot connect to a given address at all. Vert.x could (and would add HTTP/2 by ALPN),
 * but its pool is keyed by its own idea of the server and its TLS options per client, so each
 * certificate version would need its own client, and every failure path would be mapped anew; the
 * exchanges are one request and one response each from blocking threads, where HTTP/2 multiplexing
 * buys little. The reader handles Content-Length, chunked and close-delimited bodies and keep-alive;
 * with connections kept, a warm exchange costs what the bare JDK client's does (bench/exchange.sh).
 *
 * <p>Reuse keeps every guarantee: a connection is kept per (certificate version, checked address,
 * SNI host) in {@link ConnectionPools}, so it is only ever reused for the same verified host and the
 * same address; it is kept only when its response ended where its framing said, over HTTP/1.1,
 * without {@code Connection: close}. A kept connection that the server closed before answering is
 * replaced by a new one for idempotent requests only. New connections resume the TLS session held by
 * the context.
 *
 * <p>Thread-safe; all per-certificate state lives in {@link ClientTlsContext}.
 */
public final class MtlsExchange {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Alerts a server sends when it does not accept the client certificate. */
    private static final Set<String> CLIENT_CERTIFICATE_ALERTS = Set.of(
            "bad_certificate", "unsupported_certificate", "certificate_revoked", "certificate_expired",
            "certificate_unknown", "unknown_ca", "access_denied", "certificate_required");

    /**
     * Performs the exchange.
     *
     * @param address the address returned by {@link EgressPolicy#resolveAndCheck(String)} for
     *                {@code target.host()}; the connection goes there and nowhere else
     * @throws ExchangeFailedException when the call could not be completed; HTTP error statuses are
     *                                 results, not failures
     */
    public ExchangeResult send(ClientTlsContext tls, InetAddress address, OutboundTarget target,
                               ExchangeRequest request, Limits limits) {
        long start = System.nanoTime();
        ConnectionPool pool = tls.connections().enter(address, target.port(), target.host());
        try {
            acquire(pool, target, limits);
            try {
                PooledConnection kept = pool.takeIdle(start);
                if (kept != null) {
                    try {
                        return exchange(tls, pool, kept, start, address, target, request, limits);
                    } catch (StaleConnection stale) {
                        // The server had closed the kept connection; send again on a new one (idempotent only).
                    }
                }
                return exchange(tls, pool, null, start, address, target, request, limits);
            } catch (StaleConnection impossible) {
                throw new IllegalStateException("a new connection is never stale", impossible);
            } finally {
                pool.release();
            }
        } finally {
            pool.leave();
        }
    }

    /** Waits, within the connect timeout, for one of the pool's connections. */
    private static void acquire(ConnectionPool pool, OutboundTarget target, Limits limits) {
        boolean acquired;
        try {
            acquired = pool.acquire(limits.connectTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeFailedException(ExchangeFailedException.Kind.CONNECT_TIMEOUT,
                    "interrupted while waiting for a connection to " + target.hostHeader(), e);
        }
        if (!acquired) {
            throw new ExchangeFailedException(ExchangeFailedException.Kind.CONNECT_TIMEOUT,
                    "all " + pool.limit() + " connections to " + target.hostHeader() + " stayed busy for "
                            + limits.connectTimeout().toMillis() + " ms", null);
        }
    }

    /**
     * One request and response, on {@code kept} or on a new connection when it is null.
     *
     * @throws StaleConnection when {@code kept} was closed by the server before any answer and the
     *                         request may be sent again
     */
    private ExchangeResult exchange(ClientTlsContext tls, ConnectionPool pool, PooledConnection kept, long start,
                                    InetAddress address, OutboundTarget target, ExchangeRequest request,
                                    Limits limits) throws StaleConnection {
        Socket raw = kept != null ? kept.raw() : connect(address, target, limits);
        long connected = System.nanoTime();
        long deadline = connected + limits.readTimeout().toNanos();
        // Reads are bounded by DeadlineInputStream; the watchdog also bounds the handshake and writes
        // (a socket write to a server that does not read blocks with no timeout).
        ScheduledFuture<?> watchdog = EgressTimer.closeAt(raw, deadline);
        PooledConnection connection = kept;
        SSLSession session = kept != null ? kept.session() : null;
        boolean keep = false;
        try {
            long handshaken = connected;
            if (connection == null) {
                SSLSocket ssl = (SSLSocket) tls.socketFactory().createSocket(raw, target.host(), target.port(), true);
                ssl.setSSLParameters(parameters(ssl, target));
                ssl.setSoTimeout(remainingMillis(deadline));
                SingleKeyManager.clearMarkers();
                ssl.startHandshake();
                handshaken = System.nanoTime();
                connection = new PooledConnection(raw, ssl, deadline);
                session = connection.session();
            } else {
                connection.restart(deadline);
            }

            OutputStream out = connection.out();
            byte[] head = Http1RequestHead.encode(target, request, pool.keepsConnections());
            byte[] body = request.bodyBytes();
            if (body == null || body.length == 0) {
                out.write(head);
            } else {
                // One write: head and body leave together instead of as a tiny record plus the body.
                byte[] message = new byte[head.length + body.length];
                System.arraycopy(head, 0, message, 0, head.length);
                System.arraycopy(body, 0, message, head.length, body.length);
                out.write(message);
            }
            out.flush();

            Http1ResponseReader.Response response = new Http1ResponseReader(connection.in())
                    .read(request.method().equals("HEAD"), limits.maxResponseBytes());
            long end = System.nanoTime();
            keep = response.reusable() && !connection.hasUnreadBytes();
            if (keep) {
                watchdog.cancel(false);
                pool.giveBack(connection, end, keepAliveTimeoutNanos(response.headers()));
            }
            return new ExchangeResult(response.status(), response.reason(), response.headers(), response.body(),
                    response.truncated(), session.getProtocol(), session.getCipherSuite(),
                    new ExchangeResult.Timing(millis(connected - start), millis(handshaken - connected),
                            millis(end - start), kept != null),
                    socketAddress(address, target.port()));
        } catch (IOException e) {
            boolean answered = connection != null && connection.responseBytes() > 0;
            if (kept != null && !answered && request.idempotent() && System.nanoTime() - deadline < 0) {
                throw new StaleConnection();
            }
            throw failure(e, target, deadline, session, answered, kept != null);
        } finally {
            SingleKeyManager.clearMarkers();
            if (!keep) {
                watchdog.cancel(false);
                if (connection != null) {
                    connection.close();
                } else {
                    closeQuietly(raw);
                }
            }
        }
    }

    /** {@code Keep-Alive: timeout=5} in nanoseconds, or -1 when the server gave none. */
    private static long keepAliveTimeoutNanos(List<HttpHeader> headers) {
        for (HttpHeader header : headers) {
            if (!header.named("Keep-Alive")) {
                continue;
            }
            for (String part : header.value().split(",")) {
                String[] pair = part.strip().split("=", 2);
                if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("timeout")) {
                    String digits = pair[1].strip();
                    if (!digits.isEmpty() && digits.length() <= 6 && digits.chars().allMatch(Character::isDigit)) {
                        return TimeUnit.SECONDS.toNanos(Long.parseLong(digits));
                    }
                }
            }
        }
        return -1;
    }

    /** A kept connection turned out closed before the server answered; the request may be sent again. */
    private static final class StaleConnection extends Exception {

        private static final long serialVersionUID = 1L;

        StaleConnection() {
            super(null, null, false, false);
        }
    }

    private static Socket connect(InetAddress address, OutboundTarget target, Limits limits) {
        Socket raw = new Socket();
        try {
            // Without TCP_NODELAY, Nagle's algorithm delayed handshake flights by ~40 ms each.
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(address, target.port()), (int) limits.connectTimeout().toMillis());
            return raw;
        } catch (SocketTimeoutException e) {
            closeQuietly(raw);
            throw new ExchangeFailedException(ExchangeFailedException.Kind.CONNECT_TIMEOUT,
                    "connecting to " + target.hostHeader() + " timed out after "
                            + limits.connectTimeout().toMillis() + " ms", e);
        } catch (ConnectException e) {
            closeQuietly(raw);
            throw new ExchangeFailedException(ExchangeFailedException.Kind.CONNECT_REFUSED,
                    "connection to " + target.hostHeader() + " was refused", e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new ExchangeFailedException(ExchangeFailedException.Kind.CONNECT_REFUSED,
                    "could not connect to " + target.hostHeader() + " (network unreachable)", e);
        }
    }

    private static SSLParameters parameters(SSLSocket ssl, OutboundTarget target) {
        SSLParameters parameters = ssl.getSSLParameters();
        // Hostname verification against the certificate's SANs; the JDK does not do it unless asked.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(PROTOCOLS);
        // SNI carries host names only (RFC 6066); for an IP literal none is sent.
        parameters.setServerNames(target.ipLiteral() ? List.of() : List.of(new SNIHostName(target.host())));
        return parameters;
    }

    private static ExchangeFailedException failure(IOException e, OutboundTarget target, long deadline,
                                                   SSLSession session, boolean responseStarted, boolean reused) {
        String where = target.hostHeader();
        boolean handshakeDone = session != null;
        ServerCertificateCheck.Rejected rejected = causeOfType(e, ServerCertificateCheck.Rejected.class);
        if (rejected != null) {
            String message = rejected.kind() == ExchangeFailedException.Kind.HOSTNAME_MISMATCH
                    ? "the certificate of " + where + " is not issued for " + target.host()
                    : "the certificate of " + where + " is not trusted";
            return new ExchangeFailedException(rejected.kind(), message, e);
        }
        String alert = receivedAlert(e);
        if (SingleKeyManager.certificateAskedAgainOnThisThread()) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.TLS_HANDSHAKE,
                    where + " asked for the client certificate again on the same connection (TLS renegotiation);"
                            + " it is presented once per connection", e);
        }
        if (alert != null && CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.CLIENT_CERTIFICATE_REJECTED,
                    where + " rejected the client certificate (TLS alert " + alert + ")", e);
        }
        if (e instanceof SocketTimeoutException || System.nanoTime() - deadline >= 0) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.READ_TIMEOUT,
                    where + " did not complete the " + (handshakeDone ? "response" : "TLS handshake")
                            + " in time", e);
        }
        // Dropped: reset, broken pipe, or closed before the first response byte.
        boolean dropped = causeOfType(e, SocketException.class) != null || causeOfType(e, EOFException.class) != null
                || (e instanceof Http1ResponseReader.MalformedResponseException && !responseStarted);
        if (dropped && reused && !responseStarted) {
            // Not a handshake matter: this connection had answered before. Not sent again (not idempotent).
            return new ExchangeFailedException(ExchangeFailedException.Kind.PROTOCOL,
                    where + " closed a kept-alive connection before answering; the request was not sent again"
                            + " because it is not idempotent", e);
        }
        if (dropped && handshakeDone && !responseStarted && "TLSv1.3".equals(session.getProtocol())
                && session.getLocalCertificates() != null) {
            // In TLS 1.3 the client finishes its handshake before the server has checked the client
            // certificate; a rejection then arrives as an alert, or only as a reset if the server
            // closed with our request unread. The alert was not seen, so say what is likely.
            return new ExchangeFailedException(ExchangeFailedException.Kind.TLS_HANDSHAKE,
                    where + " closed the connection right after the TLS 1.3 handshake without answering;"
                            + " servers do this when they reject the client certificate", e);
        }
        if (e instanceof Http1ResponseReader.MalformedResponseException) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.PROTOCOL,
                    "invalid HTTP response from " + where + ": " + e.getMessage(), e);
        }
        if (dropped && !handshakeDone && alert == null && SingleKeyManager.certificateSentOnThisThread()) {
            // The server dropped the connection mid-handshake; a server that rejects the client
            // certificate and closes without reading the rest of our flight looks exactly like this.
            return new ExchangeFailedException(ExchangeFailedException.Kind.TLS_HANDSHAKE,
                    where + " closed the connection during the TLS handshake;"
                            + " servers do this when they reject the client certificate", e);
        }
        if (!handshakeDone || e instanceof SSLHandshakeException) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.TLS_HANDSHAKE,
                    "TLS handshake with " + where + " failed" + (alert == null ? "" : " (TLS alert " + alert + ")"), e);
        }
        if (e instanceof SSLException) {
            return new ExchangeFailedException(ExchangeFailedException.Kind.TLS_HANDSHAKE,
                    "TLS error from " + where + (alert == null ? "" : " (TLS alert " + alert + ")"), e);
        }
        return new ExchangeFailedException(ExchangeFailedException.Kind.PROTOCOL,
                "connection to " + where + " failed during the exchange", e);
    }

    /** "Received fatal alert: bad_certificate" -> "bad_certificate"; alert names are a fixed TLS vocabulary. */
    private static String receivedAlert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            String marker = "Received fatal alert: ";
            int at = message == null ? -1 : message.indexOf(marker);
            if (t instanceof SSLException && at >= 0) {
                String alert = message.substring(at + marker.length()).strip().toLowerCase(Locale.ROOT);
                return alert.matches("[a-z0-9_]{1,40}") ? alert : null;
            }
        }
        return null;
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline reached");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private static String socketAddress(InetAddress address, int port) {
        String ip = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
