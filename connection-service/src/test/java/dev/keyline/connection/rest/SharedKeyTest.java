package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.Permissions;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Several connections holding one key of one Snowflake user (Sigma's QuickStart edits connections
 * that share a service user): the service knows them all, and no slot change locks any of them out.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SharedKeyTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Test
    void unsettingTheSharedKeyIsRefusedUntilEveryHolderMoved() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair shared = ConnectionFixtures.newKey();
        String sharedFp = Fingerprints.spkiSha256(shared.getPublic());
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SHARED", shared.getPublic());
        String pem = ConnectionFixtures.pkcs8Pem(shared.getPrivate());
        // The same user spelled as people type it: unquoted names resolve upper-cased.
        String a = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("shared-a"),
                user.toLowerCase(), pem, null, adminId));
        String b = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("shared-b"),
                user, pem, null, adminId));
        String c = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("shared-c"),
                user, pem, null, adminId));
        String other = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("other"),
                ConnectionFixtures.serviceUser(snowflake, "SVC_OTHER", shared.getPublic()), pem, null, adminId));

        // Every reader of metadata, and rotation-service, sees the holders of the user.
        for (String token : List.of(READER, MANAGER, TestTokens.bearer("rot", Permissions.ROTATE))) {
            given().header("Authorization", token).when().get(BASE + "/" + b + "/key-holders")
                    .then().statusCode(200)
                    .body("connectionId", equalTo(b))
                    .body("user", equalTo(user))
                    .body("holders", hasSize(3))
                    .body("holders.id", containsInAnyOrder(a, b, c))
                    .body("holders.id", not(org.hamcrest.Matchers.hasItem(other)))
                    .body("holders.keyFingerprint", containsInAnyOrder(sharedFp, sharedFp, sharedFp))
                    .body("holders.credentialVersion", containsInAnyOrder(1, 1, 1))
                    .body("holders[0].etag", org.hamcrest.Matchers.matchesPattern("\"\\d+\""));
        }

        // A moves to a new key in slot 2.
        KeyPair next = ConnectionFixtures.newKey();
        String nextPem = ConnectionFixtures.pkcs8Pem(next.getPrivate());
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + a + "/key-slots/2").then().statusCode(200);
        swap(a, nextPem);

        // B and C still hold the slot-1 key: unsetting or replacing it is refused, naming them.
        for (var call : List.of("delete", "put")) {
            var request = given().header("Authorization", MANAGER).contentType(ContentType.JSON);
            var response = call.equals("delete") ? request.when().delete(BASE + "/" + a + "/key-slots/1")
                    : request.body(Map.of("publicKey", ConnectionFixtures.publicPem(ConnectionFixtures.newKey().getPublic())))
                            .when().put(BASE + "/" + a + "/key-slots/1");
            response.then().statusCode(409)
                    .body("type", equalTo("urn:keyline:problem:key-in-use"))
                    .body("detail", containsString(b))
                    .body("detail", containsString(c))
                    .body("detail", not(containsString(a)));
        }
        assertThat(snowflake.keySlots(ConnectionFixtures.ACCOUNT, user).rsaPublicKeyFp()).isEqualTo(sharedFp);

        swap(b, nextPem);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + a + "/key-slots/1")
                .then().statusCode(409).body("detail", containsString(c)).body("detail", not(containsString(b)));
        swap(c, nextPem);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + a + "/key-slots/1")
                .then().statusCode(200);
        assertThat(snowflake.keySlots(ConnectionFixtures.ACCOUNT, user).rsaPublicKeyFp()).isNull();
        for (String id : List.of(a, b, c)) {
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                    .then().statusCode(200).body("ok", equalTo(true));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aConnectionNamingTheAccountWithItsRegionHoldsTheSameUsersKey() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair shared = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_REGIONAL", shared.getPublic());
        String pem = ConnectionFixtures.pkcs8Pem(shared.getPrivate());
        String a = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("regional-a"),
                user, pem, null, adminId));
        // The locator with its region: the login names the account up to the first dot, the same user.
        Map<String, Object> regional = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("regional-b"), user,
                pem, null, null);
        ((Map<String, Object>) regional.get("details")).put("account", ConnectionFixtures.ACCOUNT.toLowerCase() + ".eu-central-1");
        String b = ConnectionFixtures.create(regional);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + b + "/test").then().statusCode(200)
                .body("ok", equalTo(true));
        given().header("Authorization", READER).when().get(BASE + "/" + a + "/key-holders").then().statusCode(200)
                .body("holders.id", containsInAnyOrder(a, b));

        // A moves to a new key; the old one is B's stored key still, so it stays registered.
        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + a + "/key-slots/2").then().statusCode(200);
        swap(a, ConnectionFixtures.pkcs8Pem(next.getPrivate()));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + a + "/key-slots/1").then().statusCode(409)
                .body("type", equalTo("urn:keyline:problem:key-in-use")).body("detail", containsString(b));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + b + "/test").then().statusCode(200)
                .body("ok", equalTo(true));
    }

    private static void swap(String id, String pem) {
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", pem, "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials").then().statusCode(200);
    }
}
