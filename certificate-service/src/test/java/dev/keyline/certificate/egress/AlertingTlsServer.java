package dev.keyline.certificate.egress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TLS server requiring a client certificate that, when the handshake fails, keeps reading until
 * the client closes instead of closing at once. Real servers such as nginx behave like this; the
 * JDK HttpsServer closes with unread data, which resets the connection and can swallow its alert.
 * With this server the client reliably sees the rejection alert.
 */
final class AlertingTlsServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;

    AlertingTlsServer(SSLContext context, String protocol) throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket raw = listener.accept();
                    Thread.ofVirtual().start(() -> serve(context, protocol, raw));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    private static void serve(SSLContext context, String protocol, Socket raw) {
        try (raw) {
            raw.setSoTimeout(5_000);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
            tls.setUseClientMode(false);
            tls.setNeedClientAuth(true);
            tls.setEnabledProtocols(new String[] {protocol});
            try {
                tls.startHandshake();
                tls.getInputStream().read(); // TLS 1.3: the client certificate is judged here
                tls.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
            } catch (IOException rejected) {
                drain(raw.getInputStream()); // alert sent; now wait for the client to close
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // discard until EOF
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        acceptor.interrupt();
    }
}
