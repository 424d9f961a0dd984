package dev.keyline.certificate.egress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS 1.2 server that renegotiates after reading the request, asking for the client certificate
 * in every new handshake, and counts the client certificates it was sent. With {@code renegotiations}
 * of 1 and {@code certificateAtFirst} false it is a server asking for the certificate only once it
 * saw the request (per-location client authentication, as Apache httpd does it); with many, it is a
 * hostile one making the client sign with its key again and again.
 *
 * <p>Session tickets are off and each session is invalidated before the next handshake, so every
 * renegotiation is a full handshake (a resumed one would not ask for the certificate).
 */
final class RenegotiatingTlsServer implements AutoCloseable {

    private final ServerSocket listener;
    private final AtomicInteger certificatesReceived = new AtomicInteger();

    RenegotiatingTlsServer(TestCertificates.Issued serverCertificate, boolean certificateAtFirst, int renegotiations)
            throws Exception {
        SSLContext context = withoutSessionTickets(serverCertificate);
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket raw = listener.accept();
                    Thread.ofVirtual().start(() -> serve(context, raw, certificateAtFirst, renegotiations));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Client certificates received, one per full handshake in which the client sent one. */
    int certificatesReceived() {
        return certificatesReceived.get();
    }

    private void serve(SSLContext context, Socket raw, boolean certificateAtFirst, int renegotiations) {
        try (raw) {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
            tls.setUseClientMode(false);
            tls.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls.setNeedClientAuth(certificateAtFirst);
            tls.setSoTimeout(5_000);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            readRequestHead(in);
            tls.setNeedClientAuth(true);
            tls.setSoTimeout(50);
            for (int i = 0; i < renegotiations; i++) {
                tls.getSession().invalidate();
                tls.startHandshake(); // sends HelloRequest; the reads below carry the handshake
                long until = System.nanoTime() + 1_000_000_000L;
                int before = certificatesReceived.get();
                while (certificatesReceived.get() == before && System.nanoTime() < until) {
                    try {
                        if (in.read() < 0) {
                            return;
                        }
                    } catch (SocketTimeoutException handshakeStillRunning) {
                        // keep reading: that is what moves the renegotiation on
                    }
                }
            }
            tls.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
        } catch (IOException ignored) {
            // the client gave up or refused: the count says what happened
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** The JDK reads the ticket switch when a context is made: each handshake here is then a full one. */
    private SSLContext withoutSessionTickets(TestCertificates.Issued serverCertificate) throws Exception {
        String property = "jdk.tls.server.enableSessionTicketExtension";
        synchronized (RenegotiatingTlsServer.class) {
            String before = System.getProperty(property);
            System.setProperty(property, "false");
            try {
                SSLContext context = SSLContext.getInstance("TLSv1.2");
                context.init(ClientAuthHttpsServer.serverKeys(serverCertificate),
                        new X509ExtendedTrustManager[] {new CountingTrust()}, null);
                context.getServerSessionContext(); // created now, under the property
                return context;
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
        }
    }

    /** Accepts any client certificate and counts it: who signed it does not matter here. */
    private final class CountingTrust extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            certificatesReceived.incrementAndGet();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
            certificatesReceived.incrementAndGet();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            certificatesReceived.incrementAndGet();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
