package dev.keyline.e2e.keycloak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;

/**
 * The partner API of the exchange: HTTPS on 127.0.0.1 that requires a client certificate from one CA.
 * GET answers 200 {@code ok}; other methods 201 {@code echo <method> <uri> <X-Trace> <body>}.
 */
final class MtlsServer implements AutoCloseable {

    private final HttpsServer server;
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();

    MtlsServer(Issued identity, Issued clientCa) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestPki.sslContext(identity, clientCa)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            X509Certificate peer = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            clientSubjects.add(peer.getSubjectX500Principal().getName());
            // GETs answer 200 "ok"; anything else 201 echoing what arrived, so a test sees the request went through intact.
            boolean get = exchange.getRequestMethod().equals("GET");
            byte[] out = (get ? "ok"
                    : "echo " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                            + exchange.getRequestHeaders().getFirst("X-Trace") + " "
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(get ? 200 : 201, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<String> clientSubjects() {
        return List.copyOf(clientSubjects);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
