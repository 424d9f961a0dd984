package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code PUT /credentials} during a Snowflake outage: the new key was never judged, so the answer is
 * the outage's own problem (504 / 502, retryable), not 422 {@code credential-login-failed} (which
 * makes rotation give the key up), and nothing is stored.
 */
@QuarkusTest
class CredentialSwapOutageTest extends SnowflakeKeyFixture {

    static final String PROBLEM = "urn:keyline:problem:";

    @InjectVaultEmulator
    VaultEmulator vault;

    record Connection(String id, String name, String user) {
    }

    /** A connection (timeoutSecs 1) whose user has {@code stored} in slot 1 and {@code next} in slot 2. */
    Connection connection(String prefix, KeyPair stored, KeyPair next) {
        String user = user(prefix, stored, next);
        String name = ConnectionFixtures.uniqueName(prefix.toLowerCase());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(name, user,
                ConnectionFixtures.pkcs8Pem(stored.getPrivate()), null, null);
        body.put("timeoutSecs", 1);
        return new Connection(ConnectionFixtures.create(body), name, user);
    }

    void swapAnswers(String id, KeyPair next, int status, String type) {
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + type))
                .body("detail", status == 422
                        ? allOf(containsString("nothing was stored"), containsString(Fingerprints.spkiSha256(next.getPublic())))
                        : containsString("nothing was stored"));
    }

    void nothingStored(String id, KeyPair stored) {
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(1))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(stored.getPublic())));
        assertThat(vault.versions("secret", "keyline/connection-service/connections/" + id)).hasSize(1);
    }

    @Test
    void aSlowSnowflakeIsATimeoutNotARejectedKey() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String id = connection("SVC_SWAP_SLOW", stored, next).id();
        snowflake.setLatency(Duration.ofSeconds(4));
        long start = System.nanoTime();
        swapAnswers(id, next, 504, "snowflake-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        snowflake.clearFaults();
        nothingStored(id, stored);
    }

    @Test
    void snowflakeAnswering503sIsUnreachableNotARejectedKey() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String id = connection("SVC_SWAP_503", stored, next).id();
        snowflake.failNextRequests(20, 503);
        swapAnswers(id, next, 502, "snowflake-unreachable");
        snowflake.clearFaults();
        nothingStored(id, stored);
    }

    @Test
    void anUnreachableSnowflakeIsUnreachableNotARejectedKey() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        Connection c = connection("SVC_SWAP_DOWN", stored, next);
        String id = c.id();
        // Point the connection at a closed port: connection refused.
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(c.name(), c.user(), null, null, null);
        body.put("timeoutSecs", 1);
        Map<String, Object> details = ConnectionFixtures.details(body);
        details.put("host", "http://127.0.0.1:1");
        // Another endpoint for a connection holding a key: the stored key must be presented again.
        details.put("privateKey", ConnectionFixtures.pkcs8Pem(stored.getPrivate()));
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id).then().statusCode(200);
        swapAnswers(id, next, 502, "snowflake-unreachable");
        nothingStored(id, stored);
    }

    @Test
    void aRejectedKeyIsStillCredentialLoginFailed() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        Connection c = connection("SVC_SWAP_REJ", stored, next);
        String id = c.id();
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, c.user(), 2);
        swapAnswers(id, next, 422, "credential-login-failed");
        nothingStored(id, stored);
    }

    @Test
    void afterTheOutageTheSameSwapSucceeds() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String id = connection("SVC_SWAP_RETRY", stored, next).id();
        snowflake.setLatency(Duration.ofSeconds(4));
        swapAnswers(id, next, 504, "snowflake-timeout");
        snowflake.clearFaults();
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(2))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(next.getPublic())));
    }
}
