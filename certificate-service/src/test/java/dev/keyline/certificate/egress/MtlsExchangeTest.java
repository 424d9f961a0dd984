package dev.keyline.certificate.egress;

import dev.keyline.certificate.egress.ExchangeFailedException.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Real TLS against a local server that requires a client certificate. */
class MtlsExchangeTest {

    private static final Limits LIMITS = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 64 * 1024);

    private static TestCertificates.Issued serverCa;
    private static TestCertificates.Issued clientCa;
    private static TestCertificates.Issued client;
    private static ClientAuthHttpsServer server;
    private static ClientTlsContext tls;
    private static InetAddress loopback;

    private final MtlsExchange exchange = new MtlsExchange();

    @BeforeAll
    static void startServer() throws Exception {
        serverCa = TestCertificates.ca("Test Server CA");
        clientCa = TestCertificates.ca("Test Client CA");
        client = TestCertificates.client(clientCa, "billing-client");
        TestCertificates.Issued serverCertificate =
                TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        server = new ClientAuthHttpsServer(serverCertificate, clientCa.certificate());
        server.route("/big", http -> ClientAuthHttpsServer.respond(http, 200, bytes(10_000)));
        server.route("/chunked", http -> {
            http.sendResponseHeaders(200, 0); // 0 = unknown length: the JDK server sends chunks
            try (OutputStream out = http.getResponseBody()) {
                for (String part : List.of("first,", "second,", "third")) {
                    out.write(part.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        });
        server.route("/chunked-big", http -> {
            http.sendResponseHeaders(200, 0);
            try (OutputStream out = http.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write(bytes(1000));
                    out.flush();
                }
            }
        });
        server.route("/redirect", http -> {
            http.getResponseHeaders().add("Location", "https://elsewhere.example/next");
            ClientAuthHttpsServer.respond(http, 302, "moved".getBytes(StandardCharsets.US_ASCII));
        });
        server.route("/no-content", http -> ClientAuthHttpsServer.respond(http, 204, new byte[0]));
        server.route("/slow", http -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ClientAuthHttpsServer.respond(http, 200, new byte[0]);
        });
        tls = new ClientTlsContext(client.key(), client.chain(), List.of(serverCa.certificate()));
        loopback = InetAddress.getByName("127.0.0.1");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void presentsTheClientCertificate() {
        ExchangeResult result = send(tls, "localhost", "/hello?x=1", ExchangeRequest.get(), LIMITS);

        assertThat(result.status()).isEqualTo(200);
        assertThat(server.lastRequest().peerSubject())
                .isEqualTo(client.certificate().getSubjectX500Principal().getName())
                .isEqualTo("O=Keyline Test,CN=billing-client");
        assertThat(server.lastRequest().pathAndQuery()).isEqualTo("/hello?x=1");
        assertThat(result.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(result.cipherSuite()).startsWith("TLS_");
        assertThat(result.remoteAddress()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(result.timing().totalMillis()).isPositive()
                .isGreaterThanOrEqualTo(result.timing().connectMillis() + result.timing().tlsHandshakeMillis());
    }

    @Test
    void deliversMethodHeadersAndBody() {
        byte[] body = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);
        ExchangeRequest request = ExchangeRequest.of("post",
                Map.of("Content-Type", List.of("application/json"), "X-Request-Id", List.of("r-1", "r-2")), body);

        ExchangeResult result = send(tls, "localhost", "/payments", request, LIMITS);

        ClientAuthHttpsServer.SeenRequest seen = server.lastRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.body()).isEqualTo(body);
        assertThat(seen.headers().get("Content-type")).containsExactly("application/json");
        assertThat(seen.headers().get("X-request-id")).containsExactly("r-1", "r-2");
        assertThat(seen.headers().get("Host")).containsExactly("localhost:" + server.port());
        assertThat(seen.headers().get("Content-length")).containsExactly(String.valueOf(body.length));
        assertThat(result.body()).isEqualTo(body);
        assertThat(result.header("x-seen-method")).contains("POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
    void sendsEachMethod(String method) {
        byte[] body = method.equals("GET") || method.equals("HEAD") ? null : "x".getBytes(StandardCharsets.US_ASCII);

        ExchangeResult result = send(tls, "localhost", "/", new ExchangeRequest(method, List.of(), body), LIMITS);

        assertThat(result.status()).isEqualTo(200);
        assertThat(server.lastRequest().method()).isEqualTo(method);
        assertThat(result.header("X-Seen-Method")).contains(method);
        assertThat(result.body()).hasSize(body == null ? 0 : 1);
    }

    @Test
    void capsTheResponseBody() {
        Limits small = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 1_000);

        ExchangeResult capped = send(tls, "localhost", "/big", ExchangeRequest.get(), small);
        ExchangeResult whole = send(tls, "localhost", "/big", ExchangeRequest.get(), LIMITS);

        assertThat(capped.truncated()).isTrue();
        assertThat(capped.body()).hasSize(1_000).isEqualTo(java.util.Arrays.copyOf(bytes(10_000), 1_000));
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.body()).isEqualTo(bytes(10_000));
    }

    @Test
    void decodesChunkedResponses() {
        ExchangeResult result = send(tls, "localhost", "/chunked", ExchangeRequest.get(), LIMITS);

        assertThat(result.header("Transfer-Encoding")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("chunked"));
        assertThat(new String(result.body(), StandardCharsets.US_ASCII)).isEqualTo("first,second,third");
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void capsChunkedResponses() {
        Limits small = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 2_500);

        ExchangeResult result = send(tls, "localhost", "/chunked-big", ExchangeRequest.get(), small);

        assertThat(result.truncated()).isTrue();
        assertThat(result.body()).hasSize(2_500);
    }

    @Test
    void returnsRedirectsWithoutFollowingThem() {
        int before = server.requestCount();

        ExchangeResult result = send(tls, "localhost", "/redirect", ExchangeRequest.get(), LIMITS);

        assertThat(result.status()).isEqualTo(302);
        assertThat(result.header("location")).contains("https://elsewhere.example/next");
        assertThat(new String(result.body(), StandardCharsets.US_ASCII)).isEqualTo("moved");
        assertThat(server.requestCount()).isEqualTo(before + 1);
    }

    @Test
    void noContentHasNoBody() {
        ExchangeResult result = send(tls, "localhost", "/no-content", ExchangeRequest.get(), LIMITS);

        assertThat(result.status()).isEqualTo(204);
        assertThat(result.body()).isEmpty();
    }

    @Test
    void ipLiteralTargetIsVerifiedAgainstTheIpSan() {
        ExchangeResult result = send(tls, "127.0.0.1", "/", ExchangeRequest.get(), LIMITS);

        assertThat(result.status()).isEqualTo(200);
        assertThat(server.lastRequest().headers().get("Host")).containsExactly("127.0.0.1:" + server.port());
    }

    @Test
    void clientCertificateFromAnotherCaIsRejectedByTheServer() {
        TestCertificates.Issued stranger = TestCertificates.client(TestCertificates.ca("Stranger CA"), "stranger");
        ClientTlsContext strangerTls = new ClientTlsContext(stranger.key(), stranger.chain(), List.of(serverCa.certificate()));

        ExchangeFailedException e = failure(strangerTls, "localhost", LIMITS);

        // TLS 1.3: the client's handshake ends before the server judges its certificate, so the
        // server's alert may be lost to a connection reset; either way the message says why.
        assertThat(e.kind()).isIn(Kind.CLIENT_CERTIFICATE_REJECTED, Kind.TLS_HANDSHAKE);
        assertThat(e.getMessage()).contains("client certificate");
    }

    @Test
    void clientCertificateIsAcceptedOverTls12Too() throws Exception {
        TestCertificates.Issued serverCertificate =
                TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (ClientAuthHttpsServer tls12 = new ClientAuthHttpsServer(serverCertificate, clientCa.certificate(), "TLSv1.2")) {
            ExchangeResult result = exchange.send(tls, loopback, OutboundTarget.of("localhost", tls12.port(), "/"),
                    ExchangeRequest.get(), LIMITS);

            assertThat(result.tlsProtocol()).isEqualTo("TLSv1.2");
            assertThat(tls12.lastRequest().peerSubject()).isEqualTo("O=Keyline Test,CN=billing-client");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void rejectionAlertFromTheServerIsReportedAsSuch(String protocol) throws Exception {
        TestCertificates.Issued serverCertificate =
                TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        TestCertificates.Issued stranger = TestCertificates.client(TestCertificates.ca("Stranger CA"), "stranger");
        ClientTlsContext strangerTls = new ClientTlsContext(stranger.key(), stranger.chain(), List.of(serverCa.certificate()));
        try (AlertingTlsServer alerting = new AlertingTlsServer(
                ClientAuthHttpsServer.serverContext(serverCertificate, clientCa.certificate()), protocol)) {

            ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> exchange.send(
                    strangerTls, loopback, OutboundTarget.of("localhost", alerting.port(), "/"), ExchangeRequest.get(),
                    LIMITS));

            assertThat(e.kind()).isEqualTo(Kind.CLIENT_CERTIFICATE_REJECTED);
            assertThat(e.getMessage()).isEqualTo(
                    "localhost:" + alerting.port() + " rejected the client certificate (TLS alert certificate_unknown)");
        }
    }

    @Test
    void aServerAskingForTheCertificateAgainOnOneConnectionDoesNotGetIt() throws Exception {
        TestCertificates.Issued serverCertificate =
                TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (RenegotiatingTlsServer hostile = new RenegotiatingTlsServer(serverCertificate, true, 20)) {

            ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> exchange.send(
                    tls, loopback, OutboundTarget.of("localhost", hostile.port(), "/"), ExchangeRequest.get(), LIMITS));

            // Each certificate sent in a full handshake is one signature with the client key.
            assertThat(hostile.certificatesReceived()).isEqualTo(1);
            assertThat(e.kind()).isEqualTo(Kind.TLS_HANDSHAKE);
            assertThat(e.getMessage()).isEqualTo("localhost:" + hostile.port() + " asked for the client certificate"
                    + " again on the same connection (TLS renegotiation); it is presented once per connection");
        }
    }

    @Test
    void aServerAskingForTheCertificateOnlyAfterTheRequestGetsIt() throws Exception {
        TestCertificates.Issued serverCertificate =
                TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (RenegotiatingTlsServer perLocation = new RenegotiatingTlsServer(serverCertificate, false, 1)) {

            ExchangeResult result = exchange.send(tls, loopback, OutboundTarget.of("localhost", perLocation.port(), "/"),
                    ExchangeRequest.get(), LIMITS);

            assertThat(result.status()).isEqualTo(200);
            assertThat(perLocation.certificatesReceived()).isEqualTo(1);
        }
    }

    @Test
    void serverSignedByAnotherCaIsUntrusted() {
        ClientTlsContext trustsOtherCa = new ClientTlsContext(client.key(), client.chain(),
                List.of(TestCertificates.ca("Unrelated CA").certificate()));

        ExchangeFailedException e = failure(trustsOtherCa, "localhost", LIMITS);

        assertThat(e.kind()).isEqualTo(Kind.CERTIFICATE_UNTRUSTED);
        assertThat(e.getMessage()).isEqualTo("the certificate of localhost:" + server.port() + " is not trusted");
    }

    @Test
    void defaultTrustStoreDoesNotTrustAPrivateCa() {
        ClientTlsContext jvmTrust = new ClientTlsContext(client.key(), client.chain());

        assertThat(failure(jvmTrust, "localhost", LIMITS).kind()).isEqualTo(Kind.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void hostNameNotInTheCertificateIsAMismatch() {
        int before = server.requestCount();

        // Connects to the right address, but the name asked for is not in the server's SANs.
        ExchangeFailedException e = failure(tls, "api.example.com", LIMITS);

        assertThat(e.kind()).isEqualTo(Kind.HOSTNAME_MISMATCH);
        assertThat(e.getMessage()).contains("not issued for api.example.com");
        assertThat(server.requestCount()).as("no request is sent over an unverified connection").isEqualTo(before);
    }

    @Test
    void refusedConnectionIsReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
            closedPort = socket.getLocalPort();
        }

        ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> exchange.send(
                tls, loopback, OutboundTarget.of("localhost", closedPort, "/"), ExchangeRequest.get(), LIMITS));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_REFUSED);
    }

    @Test
    void slowResponseHitsTheDeadline() {
        Limits quick = new Limits(Duration.ofSeconds(2), Duration.ofMillis(400), 1024);
        long start = System.nanoTime();

        ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class,
                () -> send(tls, "localhost", "/slow", ExchangeRequest.get(), quick));

        assertThat(e.kind()).isEqualTo(Kind.READ_TIMEOUT);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void silentServerHitsTheDeadlineDuringTheHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, loopback)) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().readAllBytes(); // never answer the ClientHello
                } catch (IOException ignored) {
                    // test over
                }
            });
            Limits quick = new Limits(Duration.ofSeconds(2), Duration.ofMillis(300), 1024);

            ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> exchange.send(
                    tls, loopback, OutboundTarget.of("localhost", silent.getLocalPort(), "/"), ExchangeRequest.get(), quick));

            assertThat(e.kind()).isEqualTo(Kind.READ_TIMEOUT);
            assertThat(e.getMessage()).contains("TLS handshake");
        }
    }

    @Test
    void reusesOneContextForManySequentialRequests() {
        send(tls, "localhost", "/", ExchangeRequest.get(), LIMITS); // warm-up: full handshake, JIT
        int requests = 200;
        double handshakeMillis = 0;
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            ExchangeResult result = send(tls, "localhost", "/", ExchangeRequest.get(), LIMITS);
            assertThat(result.status()).isEqualTo(200);
            handshakeMillis += result.timing().tlsHandshakeMillis();
        }
        double meanMillis = (System.nanoTime() - start) / 1_000_000.0 / requests;
        System.out.printf("MtlsExchange: %d sequential requests with one ClientTlsContext: mean %.3f ms/request"
                + " (mean TLS handshake %.3f ms)%n", requests, meanMillis, handshakeMillis / requests);
    }

    private ExchangeResult send(ClientTlsContext context, String host, String path, ExchangeRequest request,
                                Limits limits) {
        return exchange.send(context, loopback, OutboundTarget.of(host, server.port(), path), request, limits);
    }

    private ExchangeFailedException failure(ClientTlsContext context, String host, Limits limits) {
        ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class,
                () -> send(context, host, "/", ExchangeRequest.get(), limits));
        assertThat(e).as("expected the exchange to fail").isNotNull();
        return e;
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
