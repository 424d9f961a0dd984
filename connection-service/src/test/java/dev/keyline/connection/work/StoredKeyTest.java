package dev.keyline.connection.work;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.LoginAttempt;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.SecretVersion;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A stored key costs no KDF to reuse: it is stored as plain PKCS#8 (no passphrase), parsed once per
 * Vault version, and a row pointing at another version (a swap here or on another replica) is served
 * that version's key at once. Versions written the old way (encrypted + passphrase) still work.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class StoredKeyTest {

    private static final String MOUNT = "secret";

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @InjectVaultEmulator
    VaultEmulator vault;

    static String path(String id) {
        return "keyline/connection-service/connections/" + id;
    }

    String lastLoginFingerprint(String user) {
        List<LoginAttempt> logins = snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).toList();
        assertThat(logins).isNotEmpty();
        return logins.get(logins.size() - 1).fingerprint();
    }

    void testOk(String id) {
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void anEncryptedUploadIsStoredAsPlainPkcs8WithoutItsPassphrase() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_PLAIN", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("plain"), user,
                ConnectionFixtures.encryptedPem(key.getPrivate(), "upload-pass-9Lx!"), "upload-pass-9Lx!", null));

        SecretVersion stored = vault.versions(MOUNT, path(id)).lastEntry().getValue();
        assertThat((String) stored.data().get("private_key")).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(stored.data()).doesNotContainKey("passphrase");
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
        testOk(id);
    }

    @Test
    void aRowPointingAtANewVersionIsServedThatVersionsKeyAtOnceAndOldEncryptedRecordsStillRead() {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair second = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_VERSIONS", first.getPublic());
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 2, second.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("versions"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        testOk(id); // the first version's key is now parsed and cached
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(first.getPublic()));

        // Another replica (or the code before keys were stored decrypted) wrote a new version the old
        // way, encrypted with its passphrase, and moved the row to it: no event reaches this replica.
        int version = vault.writeSecret(MOUNT, path(id), Map.of(
                "private_key", ConnectionFixtures.encryptedPem(second.getPrivate(), "old-format-pass-3Qz"),
                "passphrase", "old-format-pass-3Qz"));
        QuarkusTransaction.requiringNew().run(() -> ConnectionEntity.update(
                "vaultVersion = ?1, credentialVersion = credentialVersion + 1 where id = ?2", version, UUID.fromString(id)));
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 1);

        testOk(id);
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(second.getPublic()));
    }

    @Test
    void aSwappedKeyIsUsedByTheNextTest() {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair second = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SWAPPED", first.getPublic());
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 2, second.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("swapped"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        testOk(id);

        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(second.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials").then().statusCode(200);
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 1);

        testOk(id);
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(second.getPublic()));
    }

    /** Vault reads of connection {@code id}'s secret since the last clearRequests. */
    long vaultReads(String id) {
        return vault.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/" + path(id))).count();
    }

    long logins(String user) {
        return snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).count();
    }

    @Test
    void aCachedVersionIsNotReadFromVaultAgainButEveryTestIsALoginAndANewVersionIsReadOnce() {
        KeyPair first = ConnectionFixtures.newKey();
        KeyPair second = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_CACHED", first.getPublic());
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 2, second.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("cached"),
                user, ConnectionFixtures.pkcs8Pem(first.getPrivate()), null, null));
        testOk(id); // the version is parsed and cached here at the latest

        vault.clearRequests();
        long loginsBefore = logins(user);
        for (int i = 0; i < 5; i++) {
            testOk(id);
        }
        assertThat(vaultReads(id)).as("cache hits: no Vault read").isZero();
        assertThat(logins(user) - loginsBefore).as("still a real login per test").isEqualTo(5);

        // Another replica moved the row to a new version: the next test misses and reads that version once.
        int version = vault.writeSecret(MOUNT, path(id), Map.of("private_key", ConnectionFixtures.pkcs8Pem(second.getPrivate())));
        QuarkusTransaction.requiringNew().run(() -> ConnectionEntity.update(
                "vaultVersion = ?1, credentialVersion = credentialVersion + 1 where id = ?2", version, UUID.fromString(id)));
        snowflake.unsetKeySlot(ConnectionFixtures.ACCOUNT, user, 1);
        vault.clearRequests();
        testOk(id);
        testOk(id);
        assertThat(vaultReads(id)).as("one miss for the new version, then hits").isEqualTo(1);
        assertThat(lastLoginFingerprint(user)).isEqualTo(Fingerprints.spkiSha256(second.getPublic()));
    }

    @Test
    void theTestReadsTheRowEachTimeSoADeleteOrAChangeByAnotherReplicaIsSeenAtOnce() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_ROWREAD", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("rowread"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        testOk(id); // row read, key parsed and cached

        // Another replica points the row at a role this user does not hold: no event reaches this one.
        QuarkusTransaction.requiringNew().run(() -> ConnectionEntity.update(
                "role = ?1, version = version + 1 where id = ?2", "NOT_GRANTED_ROLE", UUID.fromString(id)));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(org.hamcrest.Matchers.not(200));

        // Another replica deletes it: the next test here answers 404, not a login with the cached key.
        QuarkusTransaction.requiringNew().run(() -> ConnectionEntity.delete("id", UUID.fromString(id)));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(404).body("type", org.hamcrest.Matchers.endsWith(":not-found"));
    }
}
