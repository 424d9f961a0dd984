package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The optional compare-and-set on a key slot's SET and UNSET (If-Match: the fingerprint the slot must
 * hold; If-None-Match: * for an empty one), against the emulator's real DESC USER and ALTER USER: a
 * precondition that holds changes the slot, one that fails answers 409 key-slot-changed and leaves the
 * slot as it was, and without one nothing changes from before.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class KeySlotPreconditionTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    private record Fixture(String connectionId, String user) {
    }

    private Fixture connection(String prefix) {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair stored = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, stored.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName(prefix), user,
                ConnectionFixtures.pkcs8Pem(stored.getPrivate()), null, adminId));
        return new Fixture(id, user);
    }

    private static RequestSpecification manager() {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON);
    }

    private static Map<String, String> body(KeyPair key) {
        return Map.of("publicKey", ConnectionFixtures.publicPem(key.getPublic()));
    }

    /** The ALTER USER statements the emulator ran on this fixture's user. */
    private long alters(Fixture f) {
        return snowflake.statements(f.user()).stream()
                .filter(s -> s.sql().trim().toUpperCase(java.util.Locale.ROOT).startsWith("ALTER USER")).count();
    }

    private String slot2(Fixture f) {
        return snowflake.keySlots(ConnectionFixtures.ACCOUNT, f.user()).rsaPublicKey2Fp();
    }

    @Test
    void aSetWhosePreconditionHoldsChangesTheSlot() {
        Fixture f = connection("SVC_CAS_SET");
        KeyPair first = ConnectionFixtures.newKey();
        String firstFp = Fingerprints.spkiSha256(first.getPublic());
        manager().header("If-None-Match", "*").body(body(first))
                .when().put(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(200).body("slots[1].fingerprint", equalTo(firstFp));
        assertThat(slot2(f)).isEqualTo(firstFp);

        KeyPair second = ConnectionFixtures.newKey();
        String secondFp = Fingerprints.spkiSha256(second.getPublic());
        manager().header("If-Match", "\"" + firstFp + "\"").body(body(second))
                .when().put(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(200).body("slots[1].fingerprint", equalTo(secondFp));
        assertThat(slot2(f)).isEqualTo(secondFp);
    }

    @Test
    void aSetWhosePreconditionFailsIs409AndLeavesTheSlot() {
        Fixture f = connection("SVC_CAS_SET_STALE");
        KeyPair someoneElses = ConnectionFixtures.newKey();
        String theirs = Fingerprints.spkiSha256(someoneElses.getPublic());
        // Someone registered a key in slot 2 after the caller saw it empty.
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, f.user(), 2, someoneElses.getPublic());
        KeyPair mine = ConnectionFixtures.newKey();
        long altersBefore = alters(f);

        manager().header("If-None-Match", "*").body(body(mine))
                .when().put(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:key-slot-changed"))
                .body("detail", allOf(containsString("Slot 2"), containsString(theirs), containsString("empty")))
                .body("errors[0].field", equalTo("If-None-Match"))
                .body("errors[0].reason", containsString(theirs));
        String expected = Fingerprints.spkiSha256(ConnectionFixtures.newKey().getPublic());
        manager().header("If-Match", "\"" + expected + "\"").body(body(mine))
                .when().put(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(409)
                .body("type", equalTo("urn:keyline:problem:key-slot-changed"))
                .body("detail", allOf(containsString(theirs), containsString(expected)))
                .body("errors[0].field", equalTo("If-Match"));

        assertThat(slot2(f)).isEqualTo(theirs);
        assertThat(alters(f)).isEqualTo(altersBefore);
    }

    @Test
    void anUnsetWhosePreconditionHoldsUnsetsItAndOneThatFailsIs409() {
        Fixture f = connection("SVC_CAS_UNSET");
        KeyPair old = ConnectionFixtures.newKey();
        String oldFp = Fingerprints.spkiSha256(old.getPublic());
        KeyPair someoneElses = ConnectionFixtures.newKey();
        String theirs = Fingerprints.spkiSha256(someoneElses.getPublic());
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, f.user(), 2, someoneElses.getPublic());

        // The caller still thinks slot 2 holds the old key: someone else's key stays.
        manager().header("If-Match", "\"" + oldFp + "\"")
                .when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(409)
                .body("type", equalTo("urn:keyline:problem:key-slot-changed"))
                .body("detail", allOf(containsString("Slot 2"), containsString(theirs), containsString(oldFp)));
        manager().header("If-None-Match", "*")
                .when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(409).body("type", equalTo("urn:keyline:problem:key-slot-changed"));
        assertThat(slot2(f)).isEqualTo(theirs);

        manager().header("If-Match", "\"" + theirs + "\"")
                .when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(200);
        assertThat(slot2(f)).isNull();
    }

    @Test
    void withoutAPreconditionNothingChangesFromBefore() {
        Fixture f = connection("SVC_CAS_NONE");
        KeyPair someoneElses = ConnectionFixtures.newKey();
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, f.user(), 2, someoneElses.getPublic());
        KeyPair mine = ConnectionFixtures.newKey();
        String mineFp = Fingerprints.spkiSha256(mine.getPublic());
        manager().body(body(mine)).when().put(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(200).body("slots[1].fingerprint", equalTo(mineFp));
        assertThat(slot2(f)).isEqualTo(mineFp);
        manager().when().delete(BASE + "/" + f.connectionId() + "/key-slots/2").then().statusCode(200);
        assertThat(slot2(f)).isNull();
        // The stored key's slot stays protected whatever the precondition says.
        String stored = snowflake.keySlots(ConnectionFixtures.ACCOUNT, f.user()).rsaPublicKeyFp();
        manager().header("If-Match", "\"" + stored + "\"")
                .when().delete(BASE + "/" + f.connectionId() + "/key-slots/1")
                .then().statusCode(409).body("type", equalTo("urn:keyline:problem:slot-holds-stored-key"));
    }

    @Test
    void malformedPreconditionsAre400() {
        Fixture f = connection("SVC_CAS_BAD");
        String fp = snowflake.keySlots(ConnectionFixtures.ACCOUNT, f.user()).rsaPublicKeyFp();
        manager().header("If-Match", "\"7\"").when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        manager().header("If-Match", "*").when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        // The slot's own fingerprint, but not as one strong entity-tag: unquoted is 400, weak never matches (412).
        manager().header("If-Match", fp).when().delete(BASE + "/" + f.connectionId() + "/key-slots/1")
                .then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        manager().header("If-Match", "W/\"" + fp + "\"").when().delete(BASE + "/" + f.connectionId() + "/key-slots/1")
                .then().statusCode(412).body("errors[0].field", equalTo("If-Match"));
        manager().header("If-None-Match", "\"" + fp + "\"").when().delete(BASE + "/" + f.connectionId() + "/key-slots/2")
                .then().statusCode(400).body("errors[0].field", equalTo("If-None-Match"));
        manager().header("If-Match", "\"" + fp + "\"").header("If-None-Match", "*")
                .when().delete(BASE + "/" + f.connectionId() + "/key-slots/1")
                .then().statusCode(400);
        assertThat(snowflake.keySlots(ConnectionFixtures.ACCOUNT, f.user()).rsaPublicKeyFp()).isEqualTo(fp);
    }
}
