package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static dev.keyline.connection.ConnectionFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.ConnectionFixtures.ServiceConnection;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.RequestHold;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The Snowflake session pool's per-caller share, with the service's own settings (16 sessions, a quarter
 * of them, 4, per caller): while one caller's 4 tests wait on a Snowflake that does not answer, its 5th is
 * refused with 429 at once (not queued, and not audited row by row: nothing was used), and another
 * caller's test is served at once by one of the sessions the first caller could not take.
 */
@QuarkusTest
class SnowflakeShareTest {

    private static final int SHARE = 4;

    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();

    @Inject
    ConnectionWork work;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    ServiceConnection connection(String prefix) {
        return ConnectionFixtures.serviceConnection(snowflake, prefix);
    }

    @Test
    void aCallerPastItsShareOfSessionsGets429AndAnotherCallerIsStillServed() throws Exception {
        List<ServiceConnection> held = new ArrayList<>();
        for (int i = 0; i < SHARE; i++) {
            held.add(connection("SVC_SFSHARE_" + i));
        }
        ServiceConnection fifth = connection("SVC_SFSHARE_X");
        ServiceConnection others = connection("SVC_SFSHARE_U");
        List<RequestHold> holds = new ArrayList<>();
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        try {
            for (ServiceConnection c : held) {
                RequestHold hold = snowflake.holdNext("LOGIN", ConnectionFixtures.ACCOUNT, c.user());
                holds.add(hold);
                waiting.add(CLIENTS.send(
                        () -> given().header("Authorization", MANAGER).when().post(BASE + "/" + c.id() + "/test")));
                assertThat(hold.awaitHeld(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(work.snowflakePool().load().active()).isEqualTo(SHARE);
            assertThat(work.snowflakePool().heldBy("alice")).isEqualTo(SHARE);

            long refusedBefore = work.snowflakePool().callerRefused();
            given().header("Authorization", MANAGER).when().post(BASE + "/" + fifth.id() + "/test")
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:too-many-requests"))
                    .header("Retry-After", "2");
            // A candidate-key check past the share too (it audited every refusal: 1,430 rows in 25 s from one caller).
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(Map.of("privateKey", fifth.pem()))
                    .when().post(BASE + "/" + fifth.id() + "/credentials/test")
                    .then().statusCode(429).body("type", equalTo("urn:keyline:problem:too-many-requests"));
            assertThat(work.snowflakePool().callerRefused()).as("the refusals are counted").isEqualTo(refusedBefore + 2);
            // Refused before any work: counted in metrics, no audit row.
            given().header("Authorization", READER).queryParam("resourceId", fifth.id()).queryParam("outcome", "FAILED")
                    .when().get("/api/v1/audit-events").then().statusCode(200).body("size()", equalTo(0));

            // Another caller is not refused, and does not wait: the sessions the first caller could not take are its.
            given().header("Authorization", USER).when().post(BASE + "/" + others.id() + "/test")
                    .then().statusCode(200).body("ok", equalTo(true));
        } finally {
            holds.forEach(RequestHold::close);
        }
        for (CompletableFuture<Response> answer : waiting) {
            answer.get(60, TimeUnit.SECONDS).then().statusCode(200);
        }
        // The share is given back: the same caller is served again.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + fifth.id() + "/test").then().statusCode(200);
    }
}
