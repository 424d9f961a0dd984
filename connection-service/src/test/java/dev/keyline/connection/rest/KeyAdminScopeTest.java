package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

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
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A key-admin connection changes the keys of the Snowflake users it declares
 * ({@code details.managesUsers}) and of no one else: never its own user, never another
 * key-admin's. Without this, any {@code connections:manage} caller could point a connection for
 * any user at the key-admin connection and set that user's RSA_PUBLIC_KEY to a key of their own.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class KeyAdminScopeTest {

    static final String SCOPE = "urn:keyline:problem:key-admin-scope";

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Test
    void anUndeclaredUserCannotBorrowTheKeyAdmin() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair attacker = ConnectionFixtures.newKey();
        String victim = ConnectionFixtures.serviceUser(snowflake, "OPS", ConnectionFixtures.newKey().getPublic());
        String name = ConnectionFixtures.uniqueName("takeover");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(name, victim, ConnectionFixtures.pkcs8Pem(attacker.getPrivate()),
                        null, adminId))
                .when().post(BASE)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(SCOPE))
                .body("detail", containsString("does not declare"))
                .body("errors[0].field", equalTo("details.user"));
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(snowflake.keySlots(ACCOUNT, victim).rsaPublicKey2Fp()).isNull();
    }

    @Test
    void theKeyAdminsOwnUserAndAnotherKeyAdminsUserAreRefused() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair attacker = ConnectionFixtures.newKey();
        // Its own user: ROTATOR (however it is spelled).
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("own"), "Rotator",
                        ConnectionFixtures.pkcs8Pem(attacker.getPrivate()), null, adminId))
                .when().post(BASE)
                .then().statusCode(403).body("type", equalTo(SCOPE))
                .body("detail", containsString("its own user"));

        // Another key-admin whose user happens to match the shared admin's SVC_* pattern.
        KeyPair otherKey = ConnectionFixtures.newKey();
        String otherAdminUser = ConnectionFixtures.serviceUser(snowflake, "SVC_KEYADMIN", otherKey.getPublic());
        Map<String, Object> other = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("other-admin"),
                otherAdminUser, ConnectionFixtures.pkcs8Pem(otherKey.getPrivate()), null, null);
        ConnectionFixtures.details(other).put("managesUsers", List.of("TEAM_B_*"));
        ConnectionFixtures.create(other);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("other"), otherAdminUser,
                        ConnectionFixtures.pkcs8Pem(attacker.getPrivate()), null, adminId))
                .when().post(BASE)
                .then().statusCode(403).body("type", equalTo(SCOPE))
                .body("detail", containsString("another key-admin"));
    }

    @Test
    void aKeyAdminCannotDeclareItsOwnUserOrAnotherKeyAdmins() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "KADM", key.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("self-declared"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        ConnectionFixtures.details(body).put("managesUsers", List.of("KADM_*"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(403).body("type", equalTo(SCOPE))
                .body("errors[0].field", equalTo("details.managesUsers"))
                .body("detail", containsString("its own user"));

        ConnectionFixtures.details(body).put("managesUsers", List.of("ROTATOR"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(403).body("type", equalTo(SCOPE))
                .body("detail", containsString("another key-admin"));
        assertThat(adminId).isNotNull();
    }

    @Test
    void keySlotsAndSwapsAreCheckedWhenUsedNotOnlyWhenSaved() {
        // A key-admin of its own (KEY_ADMIN role), managing one service user.
        KeyPair adminKey = ConnectionFixtures.newKey();
        String adminUser = ConnectionFixtures.uniqueUser("KADM");
        ConnectionFixtures.account(snowflake).user(adminUser).role(ConnectionFixtures.KEY_ADMIN_ROLE)
                .rsaPublicKey(adminKey.getPublic());
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SCOPED", key.getPublic());
        Map<String, Object> adminBody = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("kadm"), adminUser,
                ConnectionFixtures.pkcs8Pem(adminKey.getPrivate()), null, null);
        ConnectionFixtures.details(adminBody).put("role", ConnectionFixtures.KEY_ADMIN_ROLE);
        ConnectionFixtures.details(adminBody).put("managesUsers", List.of(user.toLowerCase(), "SVC_OTHER_TEAM_*"));
        String adminId = ConnectionFixtures.create(adminBody);
        given().header("Authorization", READER).when().get(BASE + "/" + adminId)
                .then().statusCode(200).body("details.managesUsers", hasItem(user.toLowerCase()));
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("scoped"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, adminId));
        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(200);

        // The key-admin stops declaring the user (narrowing needs no key): slots and swaps through it
        // are refused from now on.
        ConnectionFixtures.details(adminBody).remove("privateKey");
        ConnectionFixtures.details(adminBody).put("managesUsers", List.of("SVC_OTHER_TEAM_*"));
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(adminId)).contentType(ContentType.JSON).body(adminBody)
                .when().put(BASE + "/" + adminId)
                .then().statusCode(200);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(ConnectionFixtures.newKey().getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(SCOPE));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(403).body("type", equalTo(SCOPE));
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(403).body("type", equalTo(SCOPE));
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp())
                .isEqualTo(dev.keyline.keys.Fingerprints.spkiSha256(next.getPublic()));
        given().header("Authorization", MANAGER).queryParam("resourceId", id).queryParam("outcome", "DENIED")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("detail", hasItem(containsString("key-admin-scope")));

        // A connection that declares no users is no key-admin at all.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("via-plain"),
                        ConnectionFixtures.serviceUser(snowflake, "SVC_VIA_PLAIN", null),
                        ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()), null, id))
                .when().post(BASE)
                .then().statusCode(403).body("type", equalTo(SCOPE))
                .body("detail", containsString("declares no users"));
    }

    /**
     * A key of a caller's own in a slot of the key-admin's user would be a login with the key-admin's role,
     * outside keyline and its declared users: only a rotation (connections:rotate, rotation-service, which
     * stores the key it registers) sets those slots.
     */
    @Test
    void theKeyAdminsOwnSlotsAreSetByItsRotationOnly() {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair attacker = ConnectionFixtures.newKey();
        String before = snowflake.keySlots(ACCOUNT, "ROTATOR").rsaPublicKey2Fp();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(attacker.getPublic())))
                .when().put(BASE + "/" + adminId + "/key-slots/2")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(SCOPE))
                .body("detail", containsString("set by its rotation only"));
        assertThat(snowflake.keySlots(ACCOUNT, "ROTATOR").rsaPublicKey2Fp()).isEqualTo(before);
        given().header("Authorization", READER).queryParam("resourceId", adminId)
                .queryParam("action", "connection.key-slot.set").when().get("/api/v1/audit-events")
                .then().statusCode(200).body("outcome", hasItem("DENIED"));

        // rotation-service's identity registers a rotation's new key there, as before.
        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", TestTokens.bearer("rotation-service", Permissions.ROTATE)).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + adminId + "/key-slots/2")
                .then().statusCode(200);
        assertThat(snowflake.keySlots(ACCOUNT, "ROTATOR").rsaPublicKey2Fp())
                .isEqualTo(dev.keyline.keys.Fingerprints.spkiSha256(next.getPublic()));
        given().header("Authorization", TestTokens.bearer("rotation-service", Permissions.ROTATE))
                .when().delete(BASE + "/" + adminId + "/key-slots/2").then().statusCode(200);
    }
}
