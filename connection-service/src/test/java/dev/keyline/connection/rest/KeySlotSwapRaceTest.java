package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A credential swap and the unset of the slot holding the new key, at the same time: whichever goes
 * first, the stored key stays registered in a slot (never a locked-out connection).
 */
@QuarkusTest
class KeySlotSwapRaceTest extends SnowflakeKeyFixture {

    @Test
    void aSwapAndAnUnsetOfTheNewKeysSlotNeverLeaveTheStoredKeyUnregistered() throws Exception {
        String adminId = keyAdmin();
        KeyPair old = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String user = user("SVC_RACE", old, next);
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("race"), user,
                ConnectionFixtures.pkcs8Pem(old.getPrivate()), null, adminId));
        String nextPem = ConnectionFixtures.pkcs8Pem(next.getPrivate());

        // Every driver request takes a while: both operations are in flight at the same time.
        snowflake.setLatency(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            CompletableFuture<Integer> swap = CompletableFuture.supplyAsync(() -> {
                await(start);
                return given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                        .body(Map.of("privateKey", nextPem, "expectedCredentialVersion", 1))
                        .when().put(BASE + "/" + id + "/credentials").then().extract().statusCode();
            }, pool);
            CompletableFuture<Integer> unset = CompletableFuture.supplyAsync(() -> {
                await(start);
                return given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/key-slots/2")
                        .then().extract().statusCode();
            }, pool);
            start.countDown();
            int swapStatus = swap.get(60, TimeUnit.SECONDS);
            int unsetStatus = unset.get(60, TimeUnit.SECONDS);
            snowflake.clearFaults();

            // Serialized one way or the other: swap then refused unset, or unset then a rejected new key.
            assertThat(List.of(swapStatus, unsetStatus)).isIn(List.of(200, 409), List.of(422, 200));
        } finally {
            pool.shutdownNow();
        }

        String stored = given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).extract().path("details.keyFingerprint");
        KeySlots slots = snowflake.keySlots(ACCOUNT, user);
        assertThat(List.of(String.valueOf(slots.rsaPublicKeyFp()), String.valueOf(slots.rsaPublicKey2Fp())))
                .as("the stored key %s must stay registered", stored).contains(stored);
        assertThat(stored).isIn(Fingerprints.spkiSha256(old.getPublic()), Fingerprints.spkiSha256(next.getPublic()));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(200);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
