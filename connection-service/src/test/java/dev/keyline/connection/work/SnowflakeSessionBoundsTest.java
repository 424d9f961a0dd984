package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.work.BoundedWork;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.ConnectionFixtures.ServiceConnection;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.RequestHold;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Snowflake sessions are bounded: an attempt past its deadline is stopped (its pool thread is free
 * again while Snowflake still sits on the request), and concurrent tests of one connection share one login.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SnowflakeSessionBoundsTest {

    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Inject
    ConnectionWork work;

    @Inject
    SnowflakeGateway gateway;

    @AfterEach
    void clearFaults() {
        snowflake.clearFaults();
    }

    CompletableFuture<Response> testAsync(String id) {
        return CLIENTS.send(() -> given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test"));
    }

    long logins(String user) {
        return snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).count();
    }

    @Test
    void anAttemptPastItsDeadlineAnswers504AndFreesItsPoolThreadWhileSnowflakeStillHoldsTheLogin() throws Exception {
        ServiceConnection c = ConnectionFixtures.serviceConnection(snowflake, "SVC_DEADLINE", 1);
        awaitIdle();
        try (RequestHold hold = snowflake.holdNext("LOGIN", ConnectionFixtures.ACCOUNT, c.user())) {
            CompletableFuture<Response> test = testAsync(c.id());
            assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
            assertThat(work.snowflakePool().load().active()).isEqualTo(1);

            Response answer = test.get(30, TimeUnit.SECONDS);
            answer.then().statusCode(504).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:snowflake-timeout"));
            // The emulator still holds the request, yet the attempt is gone: its socket was closed.
            assertThat(hold.isHolding()).isTrue();
            awaitIdle();
            assertThat(hold.isHolding()).isTrue();
        }
    }

    @Test
    void anAttemptThatNeverGotASessionSlotAnswers503BusyNotASnowflakeTimeout() throws Exception {
        ServiceConnection c = ConnectionFixtures.serviceConnection(snowflake, "SVC_NOSLOT", 1);
        awaitIdle();
        BoundedWork pool = work.snowflakePool();
        CountDownLatch release = new CountDownLatch(1);
        List<FutureTask<Boolean>> occupying = new ArrayList<>();
        long rejectedBefore = pool.load().rejected();
        long loginsBefore = logins(c.user());
        try {
            // Every session slot busy with work of no caller (not counted to a share): the local pool is full.
            for (int i = 0; i < pool.load().threads(); i++) {
                occupying.add(pool.submit(() -> release.await(60, TimeUnit.SECONDS)));
            }
            Response answer = testAsync(c.id()).get(30, TimeUnit.SECONDS);
            answer.then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "2")
                    .body("type", equalTo("urn:keyline:problem:busy"))
                    .body("detail", containsString("Snowflake sessions"))
                    .body("detail", not(containsString("No answer from")));
            assertThat(pool.load().queued()).as("the dropped attempt left the queue").isZero();
            assertThat(pool.load().rejected()).as("counted as a refusal for lack of room").isEqualTo(rejectedBefore + 1);
            assertThat(logins(c.user())).as("Snowflake was never asked").isEqualTo(loginsBefore);
        } finally {
            release.countDown();
        }
        for (FutureTask<Boolean> f : occupying) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
        awaitIdle();
    }

    @Test
    void twoConcurrentTestsOfOneConnectionShareOneLogin() throws Exception {
        ServiceConnection c = ConnectionFixtures.serviceConnection(snowflake, "SVC_SHARED", 20);
        long before = logins(c.user());
        CompletableFuture<Response> first;
        CompletableFuture<Response> second;
        try (RequestHold hold = snowflake.holdNext("LOGIN", ConnectionFixtures.ACCOUNT, c.user())) {
            first = testAsync(c.id());
            assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
            second = testAsync(c.id());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (gateway.sharedWaiting() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(gateway.sharedWaiting()).isEqualTo(1);
        }
        first.get(30, TimeUnit.SECONDS).then().statusCode(200).body("ok", equalTo(true));
        second.get(30, TimeUnit.SECONDS).then().statusCode(200).body("ok", equalTo(true));
        assertThat(logins(c.user()) - before).isEqualTo(1);

        // Once finished, the next test logs in again.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + c.id() + "/test").then().statusCode(200);
        assertThat(logins(c.user()) - before).isEqualTo(2);
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (work.snowflakePool().load().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(work.snowflakePool().load().active()).as("busy snowflake pool threads").isZero();
    }
}
