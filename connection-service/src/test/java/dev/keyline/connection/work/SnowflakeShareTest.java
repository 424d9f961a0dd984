package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.RequestHold;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The Snowflake session pool's per-caller share, with the service's own settings (16 sessions, 16 places
 * per caller): while one caller's 16 tests wait on a Snowflake that does not answer, its 17th is
 * refused with 429 at once (not queued), and another caller's test still gets a place and passes once a
 * session frees.
 */
@QuarkusTest
class SnowflakeShareTest {

    private static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();

    @Inject
    ConnectionWork work;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    record Connection(String id, String user) {
    }

    Connection connection(String prefix) {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, key.getPublic());
        return new Connection(ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(
                ConnectionFixtures.uniqueName(prefix.toLowerCase()), user, ConnectionFixtures.pkcs8Pem(key.getPrivate()),
                null, null)), user);
    }

    @Test
    void aCallerPastItsShareOfSessionsGets429AndAnotherCallerIsStillServed() throws Exception {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(connection("SVC_SFSHARE_" + i));
        }
        Connection fifth = connection("SVC_SFSHARE_X");
        Connection others = connection("SVC_SFSHARE_U");
        List<RequestHold> holds = new ArrayList<>();
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        CompletableFuture<Response> otherCaller;
        try {
            for (Connection c : held) {
                RequestHold hold = snowflake.holdNext("LOGIN", ConnectionFixtures.ACCOUNT, c.user());
                holds.add(hold);
                waiting.add(CompletableFuture.supplyAsync(
                        () -> given().header("Authorization", MANAGER).when().post(BASE + "/" + c.id() + "/test"), CLIENTS));
                assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(work.snowflakePool().load().active()).isEqualTo(16);

            given().header("Authorization", MANAGER).when().post(BASE + "/" + fifth.id() + "/test")
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:too-many-requests"))
                    .header("Retry-After", "2");
            // Another caller is not refused: it waits in the queue for the next free session.
            otherCaller = CompletableFuture.supplyAsync(
                    () -> given().header("Authorization", USER).when().post(BASE + "/" + others.id() + "/test"), CLIENTS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (work.snowflakePool().load().queued() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(work.snowflakePool().load().queued()).as("the other caller's test waits for a session").isEqualTo(1);
        } finally {
            holds.forEach(RequestHold::close);
        }
        otherCaller.get(60, TimeUnit.SECONDS).then().statusCode(200).body("ok", equalTo(true));
        for (CompletableFuture<Response> answer : waiting) {
            answer.get(60, TimeUnit.SECONDS).then().statusCode(200);
        }
        // The share is given back: the same caller is served again.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + fifth.id() + "/test").then().statusCode(200);
    }
}
