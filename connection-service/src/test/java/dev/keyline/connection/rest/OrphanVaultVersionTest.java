package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.Map;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.SecretVersion;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A Vault write whose answer timed out counts as failed, so nothing undoes it, and Vault may still
 * apply it afterwards (seen with Vault paused during a rotation's SWAP): a version no row points at.
 * Every later check-and-set on the row's version then failed (409 "read it again and retry", forever,
 * every scheduled rotation rolled back). The next write under the row's lock destroys such versions and
 * writes after them.
 */
@QuarkusTest
class OrphanVaultVersionTest extends SnowflakeKeyFixture {

    @InjectVaultEmulator
    VaultEmulator vault;

    @Test
    void aVersionNoRowPointsAtIsDestroyedAndTheSwapSucceeds() {
        KeyPair stored = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String user = user("SVC_ORPHAN", stored, next);
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("orphan"), user,
                ConnectionFixtures.pkcs8Pem(stored.getPrivate()), null, null));
        String path = "keyline/connection-service/connections/" + id;
        // What the timed-out write left: version 2, which the row (vaultVersion 1) never pointed at.
        vault.writeSecret("secret", path, Map.of("privateKeyPem", "written by a transaction that rolled back"));

        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(2))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(next.getPublic())));

        SortedMap<Integer, SecretVersion> versions = vault.versions("secret", path);
        assertThat(versions.keySet()).containsExactly(1, 2, 3);
        assertThat(versions.get(2).destroyed()).as("the orphan version").isTrue();
        assertThat(versions.get(3).destroyed()).isFalse();
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("ok", equalTo(true));
    }
}
