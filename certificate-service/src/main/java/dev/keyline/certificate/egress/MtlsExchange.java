package dev.keyline.certificate.egress;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends one HTTPS request presenting a client certificate, over a connection to an address that
 * was already checked by {@link EgressPolicy}.
 *
 * <p>Why a hand-written HTTP/1.1 exchange instead of an HTTP client library: the call must connect
 * to the checked IP (not re-resolve the name), still send SNI and verify the certificate for the
 * host name, never follow redirects, and stop at a hard deadline and body size. Doing that on a
 * plain socket is short and leaves nothing to configure wrongly.
 *
 * <p>Stateless and thread-safe; all per-certificate state lives in {@link ClientTlsContext}.
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
        Socket raw = connect(address, target, limits);
        long connected = System.nanoTime();
        long deadline = connected + limits.readTimeout().toNanos();
        // Reads are bounded by DeadlineInputStream; the watchdog also bounds the handshake and writes
        // (a socket write to a server that does not read blocks with no timeout).
        ScheduledFuture<?> watchdog = Watchdog.closeAt(raw, deadline);
        SSLSession session = null;
        DeadlineInputStream responseStream = null;
        try (SSLSocket ssl = (SSLSocket) tls.socketFactory().createSocket(raw, target.host(), target.port(), true)) {
            ssl.setSSLParameters(parameters(ssl, target));
            ssl.setSoTimeout(remainingMillis(deadline));
            SingleKeyManager.clearSentMarker();
            ssl.startHandshake();
            long handshaken = System.nanoTime();
            session = ssl.getSession();

            OutputStream out = ssl.getOutputStream();
            byte[] head = Http1RequestHead.encode(target, request);
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

            responseStream = new DeadlineInputStream(ssl.getInputStream(), ssl, deadline);
            Http1ResponseReader.Response response = new Http1ResponseReader(
                    new BufferedInputStream(responseStream, 16 * 1024))
                    .read(request.method().equals("HEAD"), limits.maxResponseBytes());
            long end = System.nanoTime();
            return new ExchangeResult(response.status(), response.reason(), response.headers(), response.body(),
                    response.truncated(), session.getProtocol(), session.getCipherSuite(),
                    new ExchangeResult.Timing(millis(connected - start), millis(handshaken - connected),
                            millis(end - start)),
                    socketAddress(address, target.port()));
        } catch (IOException e) {
            throw failure(e, target, deadline, session, responseStream != null && responseStream.bytesRead() > 0);
        } finally {
            SingleKeyManager.clearSentMarker();
            watchdog.cancel(false);
            closeQuietly(raw);
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
                                                   SSLSession session, boolean responseStarted) {
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

    /**
     * One daemon thread closing sockets whose deadline passed. Created on first use (never during
     * native-image build-time initialisation) and shared: calls only schedule and cancel a task.
     */
    private static final class Watchdog {

        private static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "mtls-exchange-deadline");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true); // cancelled tasks must not pile up until their deadline
            return executor;
        }

        static ScheduledFuture<?> closeAt(Socket socket, long deadlineNanos) {
            return EXECUTOR.schedule(() -> closeQuietly(socket), deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }
}
