package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.LogCapture;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.LoginAttempt;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A connection whose secret is gone from Vault (deleted by hand, or Vault restored from a backup
 * older than the row's version): its test answers 500 {@code material-missing} naming the way out,
 * logged and counted; and that way out, {@code PUT …/credentials} with a key that logs in, works: the
 * check-and-set on the row's version fails, the metadata shows the secret absent (or at an older
 * version), and the key is written where Vault allows it. The new key is what the next test logs in
 * with, even though the version number was used before.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class MissingVaultSecretTest {

    static final String MOUNT = "secret";
    static final String PREFIX = "keyline/connection-service/connections/";

    @InjectVaultEmulator
    VaultEmulator vault;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** What an operator's {@code vault kv metadata delete} does: every version and the metadata gone. */
    void deleteSecret(String id) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create(vault.url() + "/v1/" + MOUNT + "/metadata/" + PREFIX + id))
                .header("X-Vault-Token", vault.token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(vault.versions(MOUNT, PREFIX + id)).isEmpty();
    }

    ValidatableResponse swap(String id, KeyPair key, int credentialVersion) {
        return given().header("Authorization", MANAGER).header("If-Match", "\"" + credentialVersion + "\"")
                .contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(key.getPrivate()),
                        "expectedCredentialVersion", credentialVersion))
                .when().put(BASE + "/" + id + "/credentials").then();
    }

    ValidatableResponse test(String id) {
        return given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then();
    }

    String lastLoginFingerprint(String user) {
        List<LoginAttempt> logins = snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).toList();
        return logins.get(logins.size() - 1).fingerprint();
    }

    @Test
    void aDeletedSecretAnswersMaterialMissingNamingThePutAndThatPutRecoversIt() throws Exception {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair second = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_GONE", first.getPublic());
        snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey2(second.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("gone"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        deleteSecret(id);

        List<LogRecord> errors;
        try (LogCapture capture = LogCapture.of(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                && r.getLoggerName().startsWith("dev.keyline"))) {
            errors = capture.records();
            // Nothing cached on this replica (as on any other, or after a restart): Vault has nothing.
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then()
                    .statusCode(500).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:material-missing"))
                    .body("detail", containsString("PUT /api/v1/connections/" + id + "/credentials"))
                    .body("detail", containsString("registered in Snowflake"));
        }
        assertThat(errors).as("one ERROR line for the missing material").hasSize(1);
        String line = LogCapture.formatted(errors.get(0));
        assertThat(line).contains(id).contains(PREFIX + id).contains("version 1")
                .doesNotContain("PRIVATE KEY");
        given().when().get(metrics).then().statusCode(200).body(containsString(
                "keyline_connection_test_failures_total{error=\"material-missing\",type=\"snowflake\"}"));

        // The documented way out: the swap's login with the new key, then Vault written where it allows.
        swap(id, second, 1).statusCode(200).body("details.credentialVersion", equalTo(2))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(second.getPublic())));
        assertThat(vault.versions(MOUNT, PREFIX + id)).containsOnlyKeys(1);
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 1);

        test(id).statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(second.getPublic())));
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(second.getPublic()));
        given().header("Authorization", READER).queryParam("resourceId", id)
                .queryParam("action", "connection.credentials.swap").when().get("/api/v1/audit-events")
                .then().statusCode(200).body("[0].outcome", equalTo("SUCCESS"));
    }

    @Test
    void aSecretRestoredToAnOlderVersionIsWrittenOnTopOfIt() {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair second = ConnectionFixtures.newKey();
        KeyPair third = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_RESTORED", first.getPublic());
        snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey2(second.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("restored"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        swap(id, second, 1).statusCode(200);
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 1);
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 1, third.getPublic());
        test(id).statusCode(200); // the row's version 2 (the second key) is cached here
        // (a replica that never cached it answers material-missing from here on, as above)

        // Vault restored from a backup taken before the swap: only version 1 (the first key) exists.
        try {
            deleteSecret(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        vault.writeSecret(MOUNT, PREFIX + id, Map.of("private_key", ConnectionFixtures.pkcs8Pem(first.getPrivate())));

        swap(id, third, 2).statusCode(200).body("details.credentialVersion", equalTo(3));
        assertThat(vault.versions(MOUNT, PREFIX + id)).containsOnlyKeys(1, 2);
        assertThat(vault.versions(MOUNT, PREFIX + id).get(2).destroyed()).isFalse();
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 2);

        // Vault version 2 again, but the third key: never the second, cached for the row's old version 2.
        test(id).statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(third.getPublic())));
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(third.getPublic()));
    }

    @Test
    void aKeyThatDoesNotLogInStoresNothingEvenWhenTheSecretIsMissing() throws Exception {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair unregistered = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_GONE_BAD", first.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("gone-bad"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        deleteSecret(id);

        swap(id, unregistered, 1).statusCode(422).body("type", equalTo("urn:keyline:problem:credential-login-failed"));
        swap(id, first, 7).statusCode(409).body("type", equalTo("urn:keyline:problem:stale-credential-version"));
        assertThat(vault.versions(MOUNT, PREFIX + id)).isEmpty();
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("details.credentialVersion", equalTo(1));

        // The key registered in Snowflake (the one that was stored) puts it back.
        swap(id, first, 1).statusCode(200).body("details.credentialVersion", equalTo(2));
        test(id).statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(first.getPublic())));
    }
}
