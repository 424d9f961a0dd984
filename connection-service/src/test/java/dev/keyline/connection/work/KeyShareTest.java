package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static dev.keyline.connection.ConnectionFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.common.testing.ConcurrentClients;
import dev.keyline.common.work.BoundedWork;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The key pool's per-caller share, with the service's own settings (one thread, a queue of 16, one
 * task per caller, as many as the threads): while the pool's thread is busy, one caller's second request
 * for key work is refused with 429 at once, stores nothing and writes no audit row, and another caller's
 * request still gets a place. A share of four let one caller's keys at the KDF ceiling (~1.2 s each)
 * delay everyone's key work by 5-7 s.
 */
@QuarkusTest
class KeyShareTest {

    @RegisterExtension
    static final ConcurrentClients CLIENTS = new ConcurrentClients();

    @Inject
    ConnectionWork work;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Test
    void aCallerPastItsShareOfTheKeyPoolGets429AndAnotherCallerIsStillServed() throws Exception {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SHARE", key.getPublic());
        String pem = ConnectionFixtures.pkcs8Pem(key.getPrivate());
        String existing = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(
                ConnectionFixtures.uniqueName("share"), user, pem, null, null));
        BoundedWork pool = work.keyPool();

        CountDownLatch release = new CountDownLatch(1);
        FutureTask<Boolean> occupying = pool.submit(() -> release.await(60, TimeUnit.SECONDS));
        List<CompletableFuture<Response>> alices = new ArrayList<>();
        CompletableFuture<Response> umas;
        String refusedName = ConnectionFixtures.uniqueName("share-refused");
        try {
            ConcurrentClients.await(() -> pool.load().active() == 1);
            String name = ConnectionFixtures.uniqueName("share-0");
            alices.add(CLIENTS.send(() -> create(name, user, pem)));
            ConcurrentClients.await(() -> pool.heldBy("alice") == 1);

            create(refusedName, user, pem).then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", "2").body("type", equalTo("urn:keyline:problem:too-many-requests"));
            // Refused before any work: counted (keyline_work_caller_refused_total), not audited row by row.
            assertThat(pool.callerRefused()).isPositive();
            assertThat(given().header("Authorization", READER).queryParam("actor", "alice").queryParam("outcome", "FAILED")
                    .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath().getList("detail", String.class))
                    .doesNotContain("too-many-requests");

            umas = CLIENTS.send(() -> given().header("Authorization", USER).contentType(ContentType.JSON)
                    .body(Map.of("privateKey", pem)).post(BASE + "/" + existing + "/credentials/test"));
            ConcurrentClients.await(() -> pool.heldBy("uma") == 1);
        } finally {
            release.countDown();
        }
        assertThat(occupying.get(30, TimeUnit.SECONDS)).isTrue();
        for (CompletableFuture<Response> a : alices) {
            a.get(60, TimeUnit.SECONDS).then().statusCode(201);
        }
        umas.get(60, TimeUnit.SECONDS).then().statusCode(200);
        given().header("Authorization", READER).queryParam("name", refusedName).get(BASE).then().statusCode(200)
                .body("total", equalTo(0));
        assertThat(pool.heldBy("alice")).isZero();
    }

    /**
     * A replace that sends the stored key again (to move the connection) parsed it on the request's worker
     * thread, outside the key pool and the caller's share: an encrypted key at the KDF ceiling is ~1.25 s of
     * CPU, and a caller's parallel PUTs held as many worker threads. Now it waits for the pool like a create,
     * and the caller's second one is refused with 429 at once, changing nothing.
     */
    @Test
    void aReplaceSendingTheKeyAgainTakesTheCallersShareOfTheKeyPool() throws Exception {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SHARE_PUT", key.getPublic());
        String pem = ConnectionFixtures.pkcs8Pem(key.getPrivate());
        String name = ConnectionFixtures.uniqueName("share-put");
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(name, user, pem, null, null));
        String etag = ConnectionFixtures.etag(id);
        BoundedWork pool = work.keyPool();

        CountDownLatch release = new CountDownLatch(1);
        FutureTask<Boolean> occupying = pool.submit(() -> release.await(60, TimeUnit.SECONDS));
        CompletableFuture<Response> first;
        try {
            ConcurrentClients.await(() -> pool.load().active() == 1);
            first = CLIENTS.send(() -> replace(id, etag, name, user, pem, "first"));
            // Before: the key was parsed on the worker thread and the PUT answered while the pool was full.
            ConcurrentClients.await(() -> pool.heldBy("alice") == 1 || first.isDone());
            assertThat(first).as("the PUT's key parse waits for the key pool").isNotDone();

            replace(id, etag, name, user, pem, "second").then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", "2").body("type", equalTo("urn:keyline:problem:too-many-requests"));
        } finally {
            release.countDown();
        }
        assertThat(occupying.get(30, TimeUnit.SECONDS)).isTrue();
        first.get(60, TimeUnit.SECONDS).then().statusCode(200).body("description", equalTo("first"));
        given().header("Authorization", READER).get(BASE + "/" + id).then().statusCode(200)
                .body("description", equalTo("first"));
        assertThat(pool.heldBy("alice")).isZero();
    }

    private static Response replace(String id, String etag, String name, String user, String pem, String description) {
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(name, user, pem, null, null);
        body.put("description", description);
        return given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                .body(body).put(BASE + "/" + id);
    }

    private static Response create(String name, String user, String pem) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(name, user, pem, null, null)).post(BASE);
    }
}
