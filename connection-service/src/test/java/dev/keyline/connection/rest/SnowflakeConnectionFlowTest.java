package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The whole life of a key-pair connection, driven through the API with the REAL Snowflake JDBC
 * driver against the emulator: create (each key form users paste), test, read the slots, register
 * a new key in slot 2 through the key-admin connection, swap the stored key to it, retire slot 1,
 * and test again.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SnowflakeConnectionFlowTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @InjectVaultEmulator
    VaultEmulator vault;

    /** name, PEM as sent, passphrase, whether the emulator user gets the openssl key (else the generated one). */
    static Stream<Arguments> keyForms() {
        KeyPair generated = ConnectionFixtures.newKey();
        String pkcs8 = ConnectionFixtures.pkcs8Pem(generated.getPrivate());
        // What a JSON body holds when a PEM was pasted with its newlines escaped: backslash-n, no real newline.
        String escaped = pkcs8.replace("\n", "\\n");
        return Stream.of(
                Arguments.of("pkcs8", ConnectionFixtures.openssl("rsa2048-pkcs8.pem"), null, null),
                Arguments.of("pkcs8-des3", ConnectionFixtures.openssl("rsa2048-pkcs8-des3.pem"),
                        ConnectionFixtures.OPENSSL_PASSPHRASE, null),
                Arguments.of("pkcs8-aes256", ConnectionFixtures.openssl("rsa2048-pkcs8-aes256.pem"),
                        ConnectionFixtures.OPENSSL_PASSPHRASE, null),
                Arguments.of("pkcs1", ConnectionFixtures.openssl("rsa2048-pkcs1.pem"), null, null),
                Arguments.of("escaped-json", escaped, null, generated));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void createTestRotateAndTestAgain(String form, String pem, String passphrase, KeyPair generated) {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        var publicKey = generated == null ? ConnectionFixtures.opensslPublicKey() : generated.getPublic();
        String fingerprint = Fingerprints.spkiSha256(publicKey);
        if (generated == null) {
            assertThat(fingerprint).isEqualTo(ConnectionFixtures.opensslFingerprint());
        }
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_" + form.replace('-', '_'), publicKey);
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("flow-" + form),
                user.toLowerCase(), pem, passphrase, adminId);

        // Create: key validated, stored in Vault only, first login reported.
        String location = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201)
                .header("Location", containsString(BASE + "/"))
                .body("details.type", equalTo("snowflake"))
                .body("details.keyFingerprint", equalTo(fingerprint))
                .body("details.credentialVersion", equalTo(1))
                .body("details.hasPassphrase", equalTo(passphrase != null))
                .body("details.keySizeBits", equalTo(2048))
                .body("details.keyAdminConnectionId", equalTo(adminId))
                .body("details.endpoint", equalTo(ConnectionFixtures.snowflakeUrl()))
                .body("details", not(org.hamcrest.Matchers.hasKey("privateKey")))
                .body("details", not(org.hamcrest.Matchers.hasKey("privateKeyPassphrase")))
                .body("testLogin.ok", equalTo(true))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(vault.secretPaths("secret")).contains("keyline/connection-service/connections/" + id);

        // Test: a real login with the stored key.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("user", equalTo(user))
                .body("role", equalTo("LOADER"))
                .body("account", equalTo(ACCOUNT))
                .body("keyFingerprint", equalTo(fingerprint))
                .body("latencyMillis", greaterThanOrEqualTo(0));

        // Slots: slot 1 holds the stored key, slot 2 is free.
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(200)
                .body("keyAdminConnectionId", equalTo(adminId))
                .body("storedKeyFingerprint", equalTo(fingerprint))
                .body("slots[0].slot", equalTo(1))
                .body("slots[0].fingerprint", equalTo(fingerprint))
                .body("slots[0].matchesStoredKey", equalTo(true))
                .body("slots[0].lastSetTime", endsWith("Z"))
                .body("slots[1].fingerprint", nullValue())
                .body("slots[1].matchesStoredKey", equalTo(false));

        // Register a new key in slot 2 through the key-admin connection.
        KeyPair next = ConnectionFixtures.newKey();
        String nextFingerprint = Fingerprints.spkiSha256(next.getPublic());
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(200)
                .body("slots[0].fingerprint", equalTo(fingerprint))
                .body("slots[1].fingerprint", equalTo(nextFingerprint))
                .body("slots[1].matchesStoredKey", equalTo(false));
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp()).isEqualTo(nextFingerprint);

        // Swap the stored key to the slot-2 key (a login with it comes first).
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(2))
                .body("details.keyFingerprint", equalTo(nextFingerprint))
                .body("details.hasPassphrase", equalTo(false));
        assertThat(vault.versions("secret", "keyline/connection-service/connections/" + id)).hasSize(2);

        // Retire slot 1 (it no longer holds the stored key).
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/key-slots/1")
                .then().statusCode(200)
                .body("slots[0].fingerprint", nullValue())
                .body("slots[1].fingerprint", equalTo(nextFingerprint))
                .body("slots[1].matchesStoredKey", equalTo(true));
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKeyFp()).isNull();

        // Test again: the new key logs in.
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("keyFingerprint", equalTo(nextFingerprint));


        // The changes are audited with fingerprints.
        given().header("Authorization", READER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200)
                .body("action", hasItem("connection.credentials.swap"))
                .body("find { it.action == 'connection.credentials.swap' }.fingerprints",
                        equalTo(fingerprint + " -> " + nextFingerprint))
                .body("find { it.action == 'connection.key-slot.set' }.fingerprints",
                        equalTo("slot2: (empty) -> " + nextFingerprint))
                .body("find { it.action == 'connection.key-slot.unset' }.fingerprints",
                        equalTo("slot1: " + fingerprint + " -> (empty)"));

        // A third key (registered in slot 1): the third version is stored, the second kept (the one the row
        // pointed at until now), the first destroyed: Vault keeps no older private keys.
        KeyPair third = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(third.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/1")
                .then().statusCode(200);
        given().header("Authorization", MANAGER).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(third.getPrivate()), "expectedCredentialVersion", 2))
                .when().put(BASE + "/" + id + "/credentials")
                .then().log().ifValidationFails().statusCode(200)
                .body("details.credentialVersion", equalTo(3));
        java.util.SortedMap<Integer, dev.keyline.emulators.vault.SecretVersion> versions =
                vault.versions("secret", "keyline/connection-service/connections/" + id);
        assertThat(versions).containsOnlyKeys(1, 2, 3);
        assertThat(versions.get(1).destroyed()).as("version 1").isTrue();
        assertThat(versions.get(1).data()).isNull();
        assertThat(versions.get(2).destroyed()).as("version 2").isFalse();
        assertThat(versions.get(3).destroyed()).as("version 3").isFalse();
    }

    @Test
    void browseListsDatabasesAndTheirSchemas() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_BROWSE", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("browse"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        given().header("Authorization", ConnectionFixtures.USER).when().get(BASE + "/" + id + "/browse")
                .then().statusCode(200)
                .body("truncated", equalTo(false))
                .body("databases.name", hasItem("ANALYTICS"))
                .body("databases.find { it.name == 'ANALYTICS' }.schemas", hasItem("RAW"))
                .body("databases.find { it.name == 'ANALYTICS' }.schemas", hasItem("MART"))
                .body("databases.find { it.name == 'ANALYTICS' }.schemas", hasItem("PUBLIC"));
        assertThat(snowflake.statements("SHOW SCHEMAS IN DATABASE \"ANALYTICS\"")).isNotEmpty();
        // Browsing logged in with the stored key: a use, audited with who did it (issue #10, finding 4).
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("action", "connection.browse")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].actor", equalTo("uma"))
                .body("[0].outcome", equalTo("SUCCESS"));
    }

    @Test
    void aConnectionWhoseRoleOwnsItsUserManagesItsOwnSlots() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.uniqueUser("SELF_OWNED");
        var acme = ConnectionFixtures.account(snowflake);
        String role = "OWNER_OF_" + user;
        acme.role(role);
        acme.user(user).role(role).rsaPublicKey(key.getPublic());
        acme.role(role).owns(user);
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("self"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        ConnectionFixtures.details(body).put("role", role);
        String id = ConnectionFixtures.create(body);

        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", java.util.Base64.getEncoder().encodeToString(next.getPublic().getEncoded())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(200)
                .body("keyAdminConnectionId", equalTo(id))
                .body("slots[1].fingerprint", equalTo(Fingerprints.spkiSha256(next.getPublic())));
    }

    @Test
    void theSlotHoldingTheStoredKeyIsNeitherReplacedNorUnset() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_GUARD", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("guard"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, adminId));
        String other = ConnectionFixtures.publicPem(ConnectionFixtures.newKey().getPublic());

        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(Map.of("publicKey", other))
                .when().put(BASE + "/" + id + "/key-slots/1")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:slot-holds-stored-key"));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/key-slots/1")
                .then().statusCode(409)
                .body("type", equalTo("urn:keyline:problem:slot-holds-stored-key"));
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKeyFp()).isEqualTo(Fingerprints.spkiSha256(key.getPublic()));
        assertThat(snowflake.statements("ALTER USER \"" + user + "\"")).isEmpty();
    }

    @Test
    void listingPagesAndFiltersByName() {
        String prefix = ConnectionFixtures.uniqueName("listing");
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_LIST", key.getPublic());
        for (String suffix : List.of("-a", "-b")) {
            ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(prefix + suffix, user,
                    ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        }
        given().header("Authorization", READER).queryParam("name", prefix).queryParam("size", 1)
                .when().get(BASE)
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("items[0].name", equalTo(prefix + "-a"))
                .body("items[0].details.keyFingerprint", notNullValue());
        given().header("Authorization", READER).queryParam("name", prefix).queryParam("page", 1).queryParam("size", 1)
                .when().get(BASE)
                .then().statusCode(200).body("items[0].name", equalTo(prefix + "-b"));
    }
}
