package dev.keyline.certificate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;

/**
 * A real HTTPS server on 127.0.0.1 that REQUIRES a client certificate issued by the given CA and
 * records the subject of every client certificate it saw, so tests can prove which certificate
 * was presented. It answers every request with 200 and a small text body.
 */
public final class MtlsTestServer implements AutoCloseable {

    /** What the server observed for one request. */
    public record Seen(String clientSubject, String method, String path, String body) {
    }

    private final HttpsServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public MtlsTestServer(Issued serverIdentity, Issued serverCa, Issued trustedClientCa) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestPki.sslContext(serverIdentity, trustedClientCa)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            HttpsExchange https = (HttpsExchange) exchange;
            Certificate[] peer = https.getSSLSession().getPeerCertificates();
            String subject = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(subject, exchange.getRequestMethod(), exchange.getRequestURI().toString(), body));
            byte[] out = ("hello " + subject).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** A server certificate for localhost/127.0.0.1 signed by {@code serverCa}. */
    public static Issued localhostIdentity(Issued serverCa) {
        return TestPki.server(serverCa, "localhost", "localhost", "127.0.0.1");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
