package dev.keyline.certificate.egress;

import dev.keyline.certificate.KeepAliveTlsServer;
import dev.keyline.certificate.egress.ExchangeFailedException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Kept connections, seen from the server: what it accepted and what is still open. Each test gets
 * its own server and its own client context (so its own pools).
 */
class ConnectionReuseTest {

    private static final Limits LIMITS = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 64 * 1024);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static TestCertificates.Issued serverCa;
    private static TestCertificates.Issued clientCa;
    private static TestCertificates.Issued client;
    private static TestCertificates.Issued serverCertificate;
    private static InetAddress loopback;

    private final MtlsExchange exchange = new MtlsExchange();
    private KeepAliveTlsServer server;

    @BeforeAll
    static void certificates() throws Exception {
        serverCa = TestCertificates.ca("Test Server CA");
        clientCa = TestCertificates.ca("Test Client CA");
        client = TestCertificates.client(clientCa, "billing-client");
        serverCertificate = TestCertificates.server(serverCa, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        loopback = InetAddress.getByName("127.0.0.1");
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new KeepAliveTlsServer(ClientAuthHttpsServer.serverContext(serverCertificate, clientCa.certificate()));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void theSecondExchangeDoesNotHandshakeAgain() {
        ClientTlsContext tls = context(PoolSettings.DEFAULT);

        ExchangeResult first = send(tls, "localhost", ExchangeRequest.get());
        ExchangeResult second = send(tls, "localhost", ExchangeRequest.get());
        ExchangeResult third = send(tls, "localhost", new ExchangeRequest("POST", List.of(), "x".getBytes(StandardCharsets.US_ASCII)));

        assertThat(server.accepted()).isEqualTo(1);
        assertThat(server.requests()).isEqualTo(3);
        assertThat(new String(third.body(), StandardCharsets.US_ASCII)).isEqualTo("ok 3");
        assertThat(first.timing().connectionReused()).isFalse();
        assertThat(second.timing().connectionReused()).isTrue();
        assertThat(second.timing().tlsHandshakeMillis()).isZero();
        assertThat(second.tlsProtocol()).isEqualTo(first.tlsProtocol());
        assertThat(server.clientSubjects()).containsOnly("O=Keyline Test,CN=billing-client");
        assertThat(tls.connections().idleConnections()).isEqualTo(1);
    }

    @Test
    void anotherSniHostOrAnotherCertificateVersionGetsItsOwnConnection() {
        ClientTlsContext tls = context(PoolSettings.DEFAULT);
        ClientTlsContext nextVersion = context(PoolSettings.DEFAULT);

        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "127.0.0.1", ExchangeRequest.get());
        send(nextVersion, "localhost", ExchangeRequest.get());
        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "127.0.0.1", ExchangeRequest.get());

        assertThat(server.accepted()).isEqualTo(3);
    }

    @Test
    void closingTheContextClosesItsKeptConnections() throws Exception {
        ClientTlsContext tls = context(PoolSettings.DEFAULT);
        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "127.0.0.1", ExchangeRequest.get());
        assertThat(server.open()).isEqualTo(2);

        tls.close();

        assertThat(KeepAliveTlsServer.await(() -> server.open() == 0, PATIENCE)).as("open: " + server.open()).isTrue();
        assertThat(tls.connections().idleConnections()).isZero();
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        ClientTlsContext tls = context(new PoolSettings(8, Duration.ofMillis(200)));
        send(tls, "localhost", ExchangeRequest.get());

        assertThat(KeepAliveTlsServer.await(() -> server.open() == 0, PATIENCE)).as("closed by the sweep").isTrue();
        ExchangeResult next = send(tls, "localhost", ExchangeRequest.get());

        assertThat(next.timing().connectionReused()).isFalse();
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aRouteThatKeepsNoConnectionLeavesNoPoolBehind() {
        // A caller picks the host names (a wildcard domain and its own DNS): pools must not pile up.
        server.sayClose = true;
        ClientTlsContext tls = context(PoolSettings.DEFAULT);

        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "127.0.0.1", ExchangeRequest.get());

        assertThat(tls.connections().routes()).isZero();
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aPoolIsDroppedWithItsLastIdleConnectionAndMadeAgainWhenNeeded() throws Exception {
        ClientTlsContext tls = context(new PoolSettings(8, Duration.ofMillis(200)));
        send(tls, "localhost", ExchangeRequest.get());
        assertThat(tls.connections().routes()).isEqualTo(1);

        assertThat(KeepAliveTlsServer.await(() -> tls.connections().routes() == 0, PATIENCE))
                .as("pools after the sweep: " + tls.connections().routes()).isTrue();
        send(tls, "localhost", ExchangeRequest.get());
        ExchangeResult reused = send(tls, "localhost", ExchangeRequest.get());

        assertThat(reused.timing().connectionReused()).isTrue();
        assertThat(tls.connections().routes()).isEqualTo(1);
        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void aFailedExchangeLeavesNoPoolBehind() {
        ClientTlsContext tls = context(PoolSettings.DEFAULT);

        // The server's certificate does not name this host: the handshake fails.
        ExchangeFailedException failed = catchThrowableOfType(ExchangeFailedException.class,
                () -> send(tls, "not-in-the-certificate.example", ExchangeRequest.get()));

        assertThat(failed).isNotNull();
        assertThat(tls.connections().routes()).isZero();
    }

    @Test
    void aZeroIdleTimeoutTurnsReuseOff() {
        ClientTlsContext tls = context(new PoolSettings(8, Duration.ZERO));

        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "localhost", ExchangeRequest.get());

        assertThat(server.accepted()).isEqualTo(2);
    }

    @Test
    void theServersConnectionCloseIsHonoured() {
        server.sayClose = true;
        ClientTlsContext tls = context(PoolSettings.DEFAULT);

        send(tls, "localhost", ExchangeRequest.get());
        send(tls, "localhost", ExchangeRequest.get());

        assertThat(server.accepted()).isEqualTo(2);
        assertThat(tls.connections().idleConnections()).isZero();
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedForAnIdempotentRequest() throws Exception {
        server.closeAfterEachResponse = true;
        ClientTlsContext tls = context(PoolSettings.DEFAULT);
        send(tls, "localhost", ExchangeRequest.get());
        assertThat(KeepAliveTlsServer.await(() -> server.open() == 0, PATIENCE)).isTrue();

        ExchangeResult again = send(tls, "localhost", ExchangeRequest.get());

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.timing().connectionReused()).isFalse();
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void aPostIsNotSentTwiceWhenTheKeptConnectionWasClosed() throws Exception {
        server.closeAfterEachResponse = true;
        ClientTlsContext tls = context(PoolSettings.DEFAULT);
        send(tls, "localhost", ExchangeRequest.get());
        assertThat(KeepAliveTlsServer.await(() -> server.open() == 0, PATIENCE)).isTrue();

        ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> send(tls, "localhost",
                new ExchangeRequest("POST", List.of(), "pay".getBytes(StandardCharsets.US_ASCII))));

        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("not sent again");
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aPoolNeverOpensMoreThanItsLimit() throws Exception {
        ClientTlsContext tls = context(new PoolSettings(2, Duration.ofSeconds(30)));
        server.hold();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<ExchangeResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(callers.submit(() -> send(tls, "localhost", ExchangeRequest.get())));
            }
            assertThat(KeepAliveTlsServer.await(() -> server.inProgress() == 2, PATIENCE)).isTrue();
            assertThat(server.accepted()).isEqualTo(2);

            server.release();
            for (Future<ExchangeResult> call : calls) {
                assertThat(call.get().status()).isEqualTo(200);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(server.accepted()).as("the waiting calls reused the two connections").isEqualTo(2);
        assertThat(server.requests()).isEqualTo(4);
    }

    @Test
    void aCallFindingThePoolBusyPastTheConnectTimeoutFails() throws Exception {
        ClientTlsContext tls = context(new PoolSettings(1, Duration.ofSeconds(30)));
        Limits quickConnect = new Limits(Duration.ofMillis(300), Duration.ofSeconds(10), 1024);
        server.hold();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<ExchangeResult> holding = callers.submit(() -> exchange.send(tls, loopback,
                    OutboundTarget.of("localhost", server.port(), "/"), ExchangeRequest.get(), quickConnect));
            assertThat(KeepAliveTlsServer.await(() -> server.inProgress() == 1, PATIENCE)).isTrue();

            ExchangeFailedException e = catchThrowableOfType(ExchangeFailedException.class, () -> exchange.send(tls,
                    loopback, OutboundTarget.of("localhost", server.port(), "/"), ExchangeRequest.get(), quickConnect));

            assertThat(e.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
            assertThat(e.getMessage()).contains("all 1 connections to localhost:" + server.port() + " stayed busy");
            server.release();
            assertThat(holding.get().status()).isEqualTo(200);
        } finally {
            callers.shutdownNow();
        }
        assertThat(server.accepted()).isEqualTo(1);
    }

    private ClientTlsContext context(PoolSettings pooling) {
        return new ClientTlsContext(client.key(), client.chain(), List.of(serverCa.certificate()), pooling);
    }

    private ExchangeResult send(ClientTlsContext tls, String host, ExchangeRequest request) {
        return exchange.send(tls, loopback, OutboundTarget.of(host, server.port(), "/"), request, LIMITS);
    }
}
