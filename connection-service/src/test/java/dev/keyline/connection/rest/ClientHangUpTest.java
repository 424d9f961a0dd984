package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.common.testing.LogCapture;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.work.ConnectionWork;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.emulators.snowflake.RequestHold;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A client that hangs up does not keep its Snowflake attempt running: with a Snowflake that holds the
 * login (it never answers) and {@code timeoutSecs} 60, a client that sends a test and closes its
 * socket gets its session slot and its share of the pool back within seconds, not at the deadline
 * (61.5 s). Whoever shared that login still gets an answer, and the undo of a generated key's
 * registration still runs.
 */
@QuarkusTest
class ClientHangUpTest extends SnowflakeKeyFixture {

    private static final int TIMEOUT_SECS = 60;
    /** Well before the deadline (61.5 s), generous for a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final String GATEWAY = SnowflakeGateway.class.getName();
    private static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();

    @Inject
    ConnectionWork work;

    @Inject
    SnowflakeGateway gateway;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    record Connection(String id, String user) {
    }

    Connection connection(String prefix) {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, key.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName(prefix.toLowerCase()),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        body.put("timeoutSecs", TIMEOUT_SECS);
        return new Connection(ConnectionFixtures.create(body), user);
    }

    @Test
    void aTestWhoseClientHangsUpGivesItsSessionAndShareBackAtOnce() throws Exception {
        Connection c = connection("SVC_HANGUP");
        await("the pool idle", () -> work.snowflakePool().load().active() == 0);
        double abandonedBefore = abandoned();
        List<LogRecord> records;
        Silent silent = new Silent("LOGIN", ACCOUNT, c.user());
        try (silent; LogCapture capture = LogCapture.of(r -> r.getLoggerName().equals(GATEWAY))) {
            records = capture.records();
            try (Socket client = send("POST", BASE + "/" + c.id() + "/test", null)) {
                assertThat(silent.first().awaitHeld(Duration.ofSeconds(30))).isTrue();
                assertThat(work.snowflakePool().load().active()).isEqualTo(1);
                assertThat(work.snowflakePool().heldBy("alice")).isEqualTo(1);
            } // hangs up
            await("the session slot given back", () -> work.snowflakePool().load().active() == 0);
            await("alice's share given back", () -> work.snowflakePool().heldBy("alice") == 0);
            // Snowflake still sits on the login: the attempt was stopped here, not answered there.
            assertThat(silent.first().isHolding()).isTrue();
            assertThat(silent.exhausted()).as("Snowflake silent to every request (%d held)", silent.held()).isFalse();
        }
        assertThat(abandoned()).isEqualTo(abandonedBefore + 1);
        assertThat(records).as("one DEBUG line, no WARN").hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(java.util.logging.Level.FINE);
        assertThat(LogCapture.formatted(records.get(0))).contains("hung up").contains(c.user());
        // The test is on record as abandoned, not as a failure of the connection.
        given().header("Authorization", MANAGER).queryParam("resourceId", c.id()).queryParam("action", "connection.test")
                .when().get("/api/v1/audit-events").then().statusCode(200)
                .body("[0].outcome", equalTo("FAILED")).body("[0].detail", equalTo("client-closed"));
    }

    @Test
    void aCallerSharingTheLoginOfOneWhoHungUpStillGetsItsAnswer() throws Exception {
        Connection c = connection("SVC_HANGUP_SHARED");
        CompletableFuture<Response> second;
        try (RequestHold hold = snowflake.holdNext("LOGIN", ACCOUNT, c.user())) {
            try (Socket first = send("POST", BASE + "/" + c.id() + "/test", null)) {
                assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
                second = CompletableFuture.supplyAsync(() -> given().header("Authorization", MANAGER).when()
                        .post(BASE + "/" + c.id() + "/test"), CLIENTS);
                await("the second test waiting for the first's login", () -> gateway.sharedWaiting() == 1);
            } // the first hangs up; the held login is never answered
            Response answer = second.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            answer.then().statusCode(200).body("ok", equalTo(true));
            // Answered by a login of its own: the one it waited for is still held.
            assertThat(hold.isHolding()).isTrue();
        }
    }

    @Test
    void aGeneratedKeyIsUnregisteredEvenWhenItsClientHungUpDuringItsLogin() throws Exception {
        String adminId = keyAdmin();
        String user = user("SVC_HANGUP_GEN", null, null);
        String name = ConnectionFixtures.uniqueName("hangup-gen");
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(name, user, null, null, adminId);
        ConnectionFixtures.details(body).remove("privateKey");
        ConnectionFixtures.details(body).put("generateKeyPair", true);
        body.put("timeoutSecs", TIMEOUT_SECS);
        try (RequestHold hold = snowflake.holdNext("LOGIN", ACCOUNT, user)) {
            try (Socket client = send("POST", BASE, new ObjectMapper().writeValueAsString(body))) {
                // The key is registered, and its proving login held.
                assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
                assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKeyFp()).isNotNull();
            }
            await("the generated key unregistered", () -> {
                KeySlots slots = snowflake.keySlots(ACCOUNT, user);
                return slots.rsaPublicKeyFp() == null && slots.rsaPublicKey2Fp() == null;
            });
            assertThat(hold.isHolding()).isTrue();
        }
        assertThat(snowflake.statements("UNSET RSA_PUBLIC_KEY")).anyMatch(s -> s.toString().contains(user));
        given().header("Authorization", MANAGER).queryParam("name", name).when().get(BASE).then().statusCode(200)
                .body("total", equalTo(0));
    }

    /**
     * A Snowflake that answers none of the requests matching the fragments, the driver's resends included
     * (it sends a login again when its socket was closed): holds for more requests than it sends.
     */
    private final class Silent implements AutoCloseable {
        private final List<RequestHold> holds = new java.util.ArrayList<>();

        Silent(String... fragments) {
            for (int i = 0; i < 12; i++) {
                holds.add(snowflake.holdNext(fragments));
            }
        }

        RequestHold first() {
            return holds.get(0);
        }

        /** Requests held: while the last hold caught none, none was answered. */
        long held() {
            return holds.stream().filter(h -> h.heldRequest() != null).count();
        }

        boolean exhausted() {
            return holds.get(holds.size() - 1).heldRequest() != null;
        }

        @Override
        public void close() {
            holds.forEach(RequestHold::close);
        }
    }

    /** Sends a request on a socket of its own and reads nothing: closing the socket hangs up. */
    private Socket send(String method, String path, String json) throws IOException {
        Socket socket = new Socket(root.getHost(), root.getPort());
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + root.getHost() + ":" + root.getPort()
                + "\r\nAuthorization: " + MANAGER + "\r\nContent-Length: " + body.length
                + (json == null ? "" : "\r\nContent-Type: application/json") + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    private double abandoned() {
        var counter = registry.find("keyline.snowflake.abandoned").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
