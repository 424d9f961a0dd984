package dev.keyline.certificate;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/1.1 server over TLS on 127.0.0.1 that REQUIRES a client certificate and keeps connections
 * alive, counting what the connection-reuse tests need to see from the server's side: connections
 * accepted, connections still open, requests in progress, and the client certificate of each request.
 *
 * <p>Every request is answered 200 with {@code Content-Length} and the body {@code ok <n>}. A
 * {@link #hold() hold} makes requests wait (to fill a pool); {@link #closeAfterEachResponse} makes
 * the server drop each connection right after answering, without saying so (a server closing an
 * idle keep-alive connection); {@link #sayClose} answers with {@code Connection: close}.
 */
public final class KeepAliveTlsServer implements AutoCloseable {

    private final SSLServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    public volatile boolean closeAfterEachResponse;
    public volatile boolean sayClose;

    /** @param context presents the server certificate and trusts the client CA */
    public KeepAliveTlsServer(SSLContext context) throws IOException {
        server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        Thread.ofVirtual().name("keep-alive-tls-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** TCP connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections the client has not closed yet. */
    public int open() {
        return open.get();
    }

    /** Requests received and not yet answered. */
    public int inProgress() {
        return inProgress.get();
    }

    public int requests() {
        return requests.get();
    }

    /** Subject DN of the client certificate of every request, in order. */
    public List<String> clientSubjects() {
        return List.copyOf(clientSubjects);
    }

    /** From now on, requests wait before being answered until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** Polls until the condition holds (state, not timing: the limit only stops a hung test). */
    public static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve((SSLSocket) socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                int contentLength = readHead(in);
                if (contentLength < 0) {
                    return; // the client closed the connection
                }
                in.readNBytes(contentLength);
                clientSubjects.add(subject);
                int n = requests.incrementAndGet();
                inProgress.incrementAndGet();
                CountDownLatch current = gate;
                if (current != null) {
                    current.await(30, TimeUnit.SECONDS);
                }
                byte[] body = ("ok " + n).getBytes(StandardCharsets.US_ASCII);
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n"
                        + (sayClose ? "Connection: close\r\n" : "") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                inProgress.decrementAndGet();
                if (sayClose || closeAfterEachResponse) {
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away or the test is over
        } finally {
            open.decrementAndGet();
        }
    }

    /** Reads a request head; returns its Content-Length (0 when none), or -1 at end of stream. */
    private static int readHead(InputStream in) throws IOException {
        int contentLength = 0;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return -1;
            }
            if (line.isEmpty()) {
                return contentLength;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring("content-length:".length()).strip());
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        release();
        server.close();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
