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
 * took every request thread, so everyone else's requests waited behind them. And at most
 * {@code egress.exchanges-per-destination} (half of {@code egress.pool.max-connections}: 4 of 8) through
 * one destination's connection pool: a share as large as the pool let one caller calling a slow
 * endpoint hold every connection, and the others waited the connect timeout for one and got 504.
 */
@QuarkusTest
class ExchangeShareTest {

    private static final int SHARE = 16;
    private static final int PER_DESTINATION = 4;

    /** A TCP server that accepts and never answers the ClientHello; {@link #held} are its connections. */
    static final class Silent implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> held = new CopyOnWriteArrayList<>();

        Silent() throws IOException {
            socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        void awaitHeld(int count) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (held.size() < count && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(held).as("%d exchanges connected", count).hasSize(count);
        }

        /** The held exchanges end now (502), not at their deadline. */
        void release() throws IOException {
            for (Socket s : held) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            release();
            socket.close();
        }
    }

    @Test
    void oneCallerHasAtMostItsShareOfExchangesRunningAndOthersStillGetTheirs() throws Exception {
        Issued serverCa = TestPki.ca("Share Test Server CA");
        ExecutorService callers = Executors.newFixedThreadPool(SHARE);
        try (Silent one = new Silent(); Silent two = new Silent();
             MtlsTestServer answering = new MtlsTestServer(MtlsTestServer.localhostIdentity(serverCa), serverCa,
                     CertificateFixtures.CLIENT_CA)) {
            // Four destinations (two hosts, two ports), 4 exchanges each (the per-destination share): 16 connected.
            String id = ExchangeResourceTest.store("share-client", List.of("localhost:" + one.port(),
                    "127.0.0.1:" + one.port(), "localhost:" + two.port(), "127.0.0.1:" + two.port(),
                    "localhost:" + answering.port()), serverCa);
            String hog = TestTokens.bearer("hog", Permissions.USE);
            List<Future<Integer>> running = new CopyOnWriteArrayList<>();
            for (int i = 0; i < SHARE; i++) {
                String host = i % 2 == 0 ? "localhost" : "127.0.0.1";
                int port = (i / 2) % 2 == 0 ? one.port() : two.port();
                running.add(callers.submit(() -> exchange(id, hog, "https://" + host + ":" + port + "/")));
            }
            one.awaitHeld(SHARE / 2);
            two.awaitHeld(SHARE / 2);

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

            one.release();
            two.release();
            for (Future<Integer> exchange : running) {
                assertThat(exchange.get(30, TimeUnit.SECONDS)).isEqualTo(502);
            }
            assertThat(exchange(id, hog, "https://localhost:" + answering.port() + "/"))
                    .as("the share is given back when an exchange ends").isEqualTo(200);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void oneCallerHoldsAtMostHalfOfOneDestinationsConnectionsAndAnotherCallerStillGetsOne() throws Exception {
        Issued serverCa = TestPki.ca("Destination Share Test Server CA");
        ExecutorService callers = Executors.newFixedThreadPool(PER_DESTINATION + 1);
        try (Silent slow = new Silent()) {
            String id = ExchangeResourceTest.store("destination-share", List.of("localhost:" + slow.port()), serverCa);
            String url = "https://localhost:" + slow.port() + "/";
            String hog = TestTokens.bearer("slow-hog", Permissions.USE);
            List<Future<Integer>> running = new CopyOnWriteArrayList<>();
            for (int i = 0; i < PER_DESTINATION; i++) {
                running.add(callers.submit(() -> exchange(id, hog, url)));
            }
            slow.awaitHeld(PER_DESTINATION);

            given().header("Authorization", hog).contentType(ContentType.JSON).body(Map.of("url", url))
                    .when().post("/api/v1/certificates/" + id + "/exchange")
                    .then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", equalTo("2"))
                    .body("detail", containsString("one host"));

            // Another caller of the same certificate and host still gets a connection at once.
            String other = TestTokens.bearer("patient", Permissions.USE);
            running.add(callers.submit(() -> exchange(id, other, url)));
            slow.awaitHeld(PER_DESTINATION + 1);

            slow.release();
            for (Future<Integer> exchange : running) {
                assertThat(exchange.get(30, TimeUnit.SECONDS)).isEqualTo(502);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static int exchange(String id, String bearer, String url) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(Map.of("url", url))
                .when().post("/api/v1/certificates/" + id + "/exchange").then().extract().statusCode();
    }
}
