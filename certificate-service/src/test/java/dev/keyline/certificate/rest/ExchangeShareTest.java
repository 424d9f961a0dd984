package dev.keyline.certificate.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.certificate.Permissions;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * One caller has at most {@code egress.exchanges-per-caller} (16) exchanges running: each holds a
 * request thread until its deadline, and a caller aiming hundreds at a server that never answers
 * took every request thread, so everyone else's requests waited behind them.
 */
@QuarkusTest
class ExchangeShareTest {

    private static final int SHARE = 16;

    @Test
    void oneCallerHasAtMostItsShareOfExchangesRunningAndOthersStillGetTheirs() throws Exception {
        Issued serverCa = TestPki.ca("Share Test Server CA");
        List<Socket> held = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(SHARE);
        try (ServerSocket silent = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
             MtlsTestServer answering = new MtlsTestServer(MtlsTestServer.localhostIdentity(serverCa), serverCa,
                     CertificateFixtures.CLIENT_CA)) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // never answers the ClientHello
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            // Two routes, 8 connections each (egress.pool.max-connections): 16 exchanges all connected.
            String id = ExchangeResourceTest.store("share-client", List.of("localhost:" + silent.getLocalPort(),
                    "127.0.0.1:" + silent.getLocalPort(), "localhost:" + answering.port()), serverCa);
            String hog = TestTokens.bearer("hog", Permissions.USE);
            List<Future<Integer>> running = new CopyOnWriteArrayList<>();
            for (int i = 0; i < SHARE; i++) {
                String host = i % 2 == 0 ? "localhost" : "127.0.0.1";
                running.add(callers.submit(() -> exchange(id, hog, "https://" + host + ":" + silent.getLocalPort() + "/")));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (held.size() < SHARE && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(held).as("all %d exchanges connected", SHARE).hasSize(SHARE);

            given().header("Authorization", hog).contentType(ContentType.JSON)
                    .body(Map.of("url", "https://localhost:" + answering.port() + "/"))
                    .when().post("/api/v1/certificates/" + id + "/exchange")
                    .then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", equalTo("2"))
                    .body("detail", containsString("outbound exchanges"));
            assertThat(answering.seen()).as("the refused exchange sent nothing").isEmpty();

            given().header("Authorization", TestTokens.bearer("someone-else", Permissions.USE)).contentType(ContentType.JSON)
                    .body(Map.of("url", "https://localhost:" + answering.port() + "/"))
                    .when().post("/api/v1/certificates/" + id + "/exchange")
                    .then().statusCode(200).body("status", equalTo(200));

            for (Socket socket : held) {
                socket.close(); // the held exchanges end now (502), not at their deadline
            }
            for (Future<Integer> exchange : running) {
                assertThat(exchange.get(30, TimeUnit.SECONDS)).isEqualTo(502);
            }
            assertThat(exchange(id, hog, "https://localhost:" + answering.port() + "/"))
                    .as("the share is given back when an exchange ends").isEqualTo(200);
        } finally {
            callers.shutdownNow();
        }
    }

    private static int exchange(String id, String bearer, String url) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(Map.of("url", url))
                .when().post("/api/v1/certificates/" + id + "/exchange").then().extract().statusCode();
    }
}
