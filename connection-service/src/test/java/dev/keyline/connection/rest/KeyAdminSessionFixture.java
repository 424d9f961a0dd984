package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.LoginAttempt;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;

/**
 * A key-admin connection of its own per test (so its logins can be counted at the emulator) and a
 * connection it manages, for the tests of key-admin session reuse.
 */
abstract class KeyAdminSessionFixture extends SnowflakeKeyFixture {

    @Inject
    MeterRegistry registry;

    /** A key-admin connection (user, key) and the managed connection's id and user. */
    record Pair(String adminId, String adminUser, KeyPair adminKey, String targetId, String targetUser) {
    }

    Pair pair(String prefix) {
        KeyPair adminKey = ConnectionFixtures.newKey();
        String adminUser = ConnectionFixtures.uniqueUser("ADMSESS");
        ConnectionFixtures.account(snowflake).user(adminUser).role(ConnectionFixtures.KEY_ADMIN_ROLE)
                .rsaPublicKey(adminKey.getPublic());
        KeyPair targetKey = ConnectionFixtures.newKey();
        String targetUser = ConnectionFixtures.serviceUser(snowflake, prefix, targetKey.getPublic());

        Map<String, Object> admin = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("admsess"), adminUser,
                ConnectionFixtures.pkcs8Pem(adminKey.getPrivate()), null, null);
        ConnectionFixtures.details(admin).put("role", ConnectionFixtures.KEY_ADMIN_ROLE);
        ConnectionFixtures.details(admin).put("managesUsers", List.of(targetUser));
        String adminId = ConnectionFixtures.create(admin);
        String targetId = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(
                ConnectionFixtures.uniqueName(prefix.toLowerCase()), targetUser,
                ConnectionFixtures.pkcs8Pem(targetKey.getPrivate()), null, adminId));
        return new Pair(adminId, adminUser, adminKey, targetId, targetUser);
    }

    void readSlots(Pair p) {
        given().header("Authorization", MANAGER).when().get(BASE + "/" + p.targetId() + "/key-slots")
                .then().statusCode(200);
    }

    void setSlot2(Pair p, KeyPair key) {
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(key.getPublic())))
                .when().put(BASE + "/" + p.targetId() + "/key-slots/2").then().statusCode(200);
    }

    void unsetSlot2(Pair p) {
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + p.targetId() + "/key-slots/2")
                .then().statusCode(200);
    }

    /** Successful logins of the key-admin's user at the emulator. */
    List<LoginAttempt> adminLogins(Pair p) {
        return snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(p.adminUser()) && l.succeeded())
                .toList();
    }

    double adminSessions(String outcome) {
        return registry.counter("keyline.snowflake.admin.sessions", "outcome", outcome).count();
    }
}
