package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.ConnectionFixtures.ServiceConnection;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.RequestHold;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With a Snowflake pool of one session and a queue of one: a third concurrent operation gets 503
 * problem+json with Retry-After at once, and readiness turns DOWN (with the pool's numbers) while
 * the queue stays full, then UP again when the work drains.
 */
@QuarkusTest
@TestProfile(SaturatedPoolTest.TinyPools.class)
@ExtendWith(SecretLeakGuard.class)
class SaturatedPoolTest {

    public static class TinyPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connection-service.work.snowflake-threads", "1",
                    "connection-service.work.snowflake-queue", "1",
                    "connection-service.work.saturated-after", "200ms",
                    "connection-service.work.retry-after-seconds", "3",
                    // The pool itself full, whoever fills it (this test's one caller holds two places).
                    "connection-service.work.snowflake-sessions-per-caller", "0");
        }
    }

    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    CompletableFuture<Response> testAsync(String id) {
        return CLIENTS.send(() -> given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test"));
    }

    @Test
    void aFullPoolAnswers503WithRetryAfterAndTurnsReadinessDownUntilItDrains() throws Exception {
        ServiceConnection a = ConnectionFixtures.serviceConnection(snowflake, "SVC_FULL_A");
        ServiceConnection b = ConnectionFixtures.serviceConnection(snowflake, "SVC_FULL_B");
        ServiceConnection c = ConnectionFixtures.serviceConnection(snowflake, "SVC_FULL_C");
        given().when().get(ready).then().statusCode(200);

        CompletableFuture<Response> running;
        CompletableFuture<Response> queued;
        try (RequestHold hold = snowflake.holdNext("LOGIN", ConnectionFixtures.ACCOUNT, a.user())) {
            running = testAsync(a.id());
            assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
            queued = testAsync(b.id());
            awaitReadiness(503);
            given().when().get(ready).then().statusCode(503)
                    .body("checks.find { it.name == 'work-snowflake' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'work-snowflake' }.data.active", equalTo(1))
                    .body("checks.find { it.name == 'work-snowflake' }.data.queued", equalTo(1))
                    .body("checks.find { it.name == 'work-snowflake' }.data.queueCapacity", equalTo(1))
                    .body("checks.find { it.name == 'work-keys' }.status", equalTo("UP"));

            given().header("Authorization", MANAGER).when().post(BASE + "/" + c.id() + "/test")
                    .then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "3")
                    .body("type", equalTo("urn:keyline:problem:busy"))
                    .body("detail", containsString("Snowflake sessions"));
        }
        running.get(60, TimeUnit.SECONDS).then().statusCode(200);
        queued.get(60, TimeUnit.SECONDS).then().statusCode(200);
        awaitReadiness(200);
        given().when().get(ready).then().body("checks.find { it.name == 'work-snowflake' }.data.rejected", equalTo(1));
    }

    private void awaitReadiness(int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int seen = -1;
        while (System.nanoTime() < deadline) {
            seen = given().when().get(ready).then().extract().statusCode();
            if (seen == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("readiness stayed " + seen + ", expected " + status);
    }
}
