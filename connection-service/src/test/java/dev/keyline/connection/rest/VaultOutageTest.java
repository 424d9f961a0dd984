package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.security.KeyPair;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** With Vault away, changes answer 503 and leave PostgreSQL and Vault exactly as they were. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class VaultOutageTest {

    static final String PREFIX = "keyline/connection-service/connections/";

    @InjectVaultEmulator
    VaultEmulator vault;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void unseal() {
        vault.clearFaults();
        vault.setSealed(false);
    }

    Map<String, Object> body(String name, KeyPair key, String user) {
        return ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
    }

    @Test
    void createWhileVaultIsDownAnswers503AndLeavesNoRow() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_OUTAGE", key.getPublic());
        String name = ConnectionFixtures.uniqueName("outage");
        int secrets = vault.secretPaths("secret").size();
        vault.setSealed(true);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name, key, user))
                .when().post(BASE)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("urn:keyline:problem:vault-unavailable"));
        vault.setSealed(false);

        assertThat(vault.secretPaths("secret")).hasSize(secrets);
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        // The same name is free afterwards: no half-written row holds it.
        ConnectionFixtures.create(body(name, key, user));
        given().header("Authorization", READER).queryParam("action", "connection.create").queryParam("outcome", "FAILED")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("[0].detail", equalTo("vault-unavailable"));
    }

    @Test
    void aCredentialSwapWhoseVaultWriteFailsChangesNothing() {
        KeyPair key = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SWAP_OUTAGE", key.getPublic());
        snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey2(next.getPublic());
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("swap-outage"), key, user));

        // The login with the new key succeeds (Snowflake is fine); the Vault write then fails.
        vault.failNextRequests(1, 500);
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(503)
                .body("type", equalTo("urn:keyline:problem:vault-unavailable"));

        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(1))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
        assertThat(vault.versions("secret", PREFIX + id)).hasSize(1);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
    }

    @Test
    void testingWhileVaultIsDownIs503() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_TEST_OUTAGE", key.getPublic());
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("test-outage"), key, user));
        vault.setSealed(true);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(503).body("type", equalTo("urn:keyline:problem:vault-unavailable"));
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(503);
        // A test that failed before any login is still a failed test for the alert on failures.
        given().when().get(metrics).then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "keyline_connection_test_failures_total{error=\"vault-unavailable\",type=\"snowflake\"}"));
    }

    @Test
    void deleteWhileVaultIsDownKeepsTheRowAndItsKey() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_KEEP", key.getPublic());
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("keep"), key, user));
        vault.failNextRequests(1, 500);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id)
                .then().statusCode(503).contentType("application/problem+json");
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200);
        assertThat(vault.secretPaths("secret")).contains(PREFIX + id);

        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(404);
        assertThat(vault.secretPaths("secret")).doesNotContain(PREFIX + id);
    }

    @Test
    void readinessGoesDownWithVaultButReadsStillWork() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        vault.setSealed(true);
        given().when().get(ready).then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'vault' }.status", equalTo("DOWN"));
        given().header("Authorization", READER).when().get(BASE).then().statusCode(200);
        vault.setSealed(false);
        given().when().get(ready).then().statusCode(200);
    }
}
