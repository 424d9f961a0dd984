package dev.keyline.certificate.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTPS server on 127.0.0.1 that REQUIRES a client certificate issued by one CA, and
 * remembers what it saw of the last request, so tests check the wire and not our own client.
 */
final class ClientAuthHttpsServer implements AutoCloseable {

    /** What the server saw of one request. */
    record SeenRequest(String peerSubject, String method, String pathAndQuery, Map<String, List<String>> headers,
                       byte[] body) {
    }

    static {
        // The JDK server leaves Nagle on by default, which adds ~40 ms to small TLS flights and would
        // hide the client's own cost in the timing test. Read once when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<SeenRequest> seen = Collections.synchronizedList(new ArrayList<>());

    ClientAuthHttpsServer(TestCertificates.Issued serverCertificate, X509Certificate trustedClientCa,
                          String... protocols) throws Exception {
        SSLContext context = serverContext(serverCertificate, trustedClientCa);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                params.setSSLParameters(parameters);
            }
        });
        server.setExecutor(executor);
        server.createContext("/", this::echo);
        server.start();
    }

    /** Server side TLS: presents the server certificate, trusts only the given client CA. */
    static SSLContext serverContext(TestCertificates.Issued serverCertificate, X509Certificate trustedClientCa)
            throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client-ca", trustedClientCa);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        context.init(serverKeys(serverCertificate), trustManagers.getTrustManagers(), null);
        return context;
    }

    /** The server certificate's key manager. */
    static KeyManager[] serverKeys(TestCertificates.Issued serverCertificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCertificate.key(), new char[0], serverCertificate.chain());
        // SunX509 reads the key once at init; the default PKIX factory decrypts it from the PKCS#12
        // store on every handshake (milliseconds each), which would dominate the timing test.
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys, new char[0]);
        return keyManagers.getKeyManagers();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Adds a handler; the request is still recorded. */
    void route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            record(exchange, exchange.getRequestBody().readAllBytes());
            handler.handle(exchange);
        });
    }

    SeenRequest lastRequest() {
        synchronized (seen) {
            return seen.isEmpty() ? null : seen.get(seen.size() - 1);
        }
    }

    int requestCount() {
        return seen.size();
    }

    /** Default route: answers 200 with the request body, and X-Seen-Method. */
    private void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        record(exchange, body);
        exchange.getResponseHeaders().add("X-Seen-Method", exchange.getRequestMethod());
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
        } else {
            respond(exchange, 200, body);
        }
        exchange.close();
    }

    private void record(HttpExchange exchange, byte[] body) {
        String subject;
        try {
            subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        } catch (Exception e) {
            subject = null;
        }
        seen.add(new SeenRequest(subject, exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), body));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
