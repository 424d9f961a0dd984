package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.OUTSIDER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static dev.keyline.connection.ConnectionFixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.Permissions;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * connections:read reads, connections:use makes a credential act, connections:manage changes,
 * connections:rotate reaches what a rotation calls; everyone else gets problem+json 401/403.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SecurityTest {

    static final String MANAGE_ONLY = TestTokens.bearer("mona", Permissions.MANAGE);
    static final String ROTATOR = TestTokens.bearer("rotation-service", Permissions.ROTATE);

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    /**
     * Red-team finding: a subject longer than created_by/updated_by (200 characters; a Keycloak username
     * may have 255) was a 500 at the insert. It is recorded under its first 200 characters, as in the audit trail.
     */
    @Test
    void aSubjectLongerThanTheColumnsCreatesAndIsRecordedUnderItsFirst200Characters() {
        String subject = "svc-" + "x".repeat(246);
        given().header("Authorization", TestTokens.bearer(subject, Permissions.MANAGE)).contentType(ContentType.JSON)
                .body(Map.of("name", "long-subject-" + UUID.randomUUID(),
                        "details", Map.of("type", "api", "baseUrl", "https://api.example.com/v1")))
                .when().post(BASE).then().statusCode(201).body("createdBy", equalTo(subject.substring(0, 200)))
                .body("updatedBy", equalTo(subject.substring(0, 200)));
    }

    @Test
    void withoutATokenEverythingIs401() {
        String any = BASE + "/" + UUID.randomUUID();
        given().when().get(BASE).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:keyline:problem:unauthenticated"));
        given().when().post(any + "/test").then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").when().get(BASE).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).when().post(BASE).then().statusCode(401);
    }

    @Test
    void readersReadAndManagersChange() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SEC", key.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("sec"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        given().header("Authorization", READER).contentType(ContentType.JSON).body(body).when().post(BASE)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:forbidden"));
        String id = ConnectionFixtures.create(body);
        String one = BASE + "/" + id;

        given().header("Authorization", READER).when().get(one).then().statusCode(200);
        given().header("Authorization", READER).when().get(BASE).then().statusCode(200);
        given().header("Authorization", READER).when().post(one + "/test").then().statusCode(403);
        given().header("Authorization", READER).when().get(one + "/key-slots").then().statusCode(403);
        given().header("Authorization", READER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(key.getPublic())))
                .when().put(one + "/key-slots/2").then().statusCode(403);
        given().header("Authorization", READER).when().delete(one + "/key-slots/2").then().statusCode(403);
        given().header("Authorization", READER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", "x", "expectedCredentialVersion", 1))
                .when().put(one + "/credentials").then().statusCode(403);
        given().header("Authorization", READER).when().delete(one).then().statusCode(403);

        // A token for another service's API unlocks nothing here.
        given().header("Authorization", OUTSIDER).when().get(one).then().statusCode(403);
        given().header("Authorization", OUTSIDER).when().post(one + "/test").then().statusCode(403);

        given().header("Authorization", MANAGER).when().get(one).then().statusCode(200);
        given().header("Authorization", MANAGER).when().delete(one).then().statusCode(204);
    }

    /**
     * Issue #10, finding 4: browse logged in with the stored key for connections:read and wrote no
     * audit event; test, key slots and candidate keys were open to connections:manage. Making a
     * credential act is connections:use only, and every use is audited.
     */
    @Test
    void usingACredentialNeedsUseAndIsAudited() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = keyAdministered("SVC_USE", key);
        String one = BASE + "/" + id;
        Map<String, Object> candidate = Map.of("privateKey",
                ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()));
        for (String reader : new String[] { READER, MANAGE_ONLY }) {
            given().header("Authorization", reader).when().get(one + "/browse").then().statusCode(403)
                    .contentType("application/problem+json");
            given().header("Authorization", reader).when().post(one + "/test").then().statusCode(403);
            given().header("Authorization", reader).when().get(one + "/key-slots").then().statusCode(403);
            given().header("Authorization", reader).contentType(ContentType.JSON).body(candidate)
                    .when().post(one + "/credentials/test").then().statusCode(403);
        }
        assertThat(events(id)).isEmpty();

        given().header("Authorization", USER).when().get(one + "/browse").then().statusCode(200);
        given().header("Authorization", USER).when().post(one + "/test").then().statusCode(200);
        given().header("Authorization", USER).when().get(one + "/key-slots").then().statusCode(200);
        given().header("Authorization", USER).contentType(ContentType.JSON).body(candidate)
                .when().post(one + "/credentials/test").then().statusCode(422);
        assertThat(events(id)).extracting(e -> e.get("action") + " " + e.get("actor") + " " + e.get("outcome"))
                .containsExactlyInAnyOrder("connection.browse uma SUCCESS", "connection.test uma SUCCESS",
                        "connection.key-slots.read uma SUCCESS", "connection.credentials.check uma FAILED");

        // Using is not changing.
        given().header("Authorization", USER).when().delete(one).then().statusCode(403);
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(key.getPublic())))
                .when().put(one + "/key-slots/2").then().statusCode(403);
    }

    /** rotation-service's scheduled identity reaches exactly what a rotation calls, and nothing else. */
    @Test
    void rotateReachesOnlyWhatARotationCalls() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = keyAdministered("SVC_ROT", key);
        String one = BASE + "/" + id;
        given().header("Authorization", ROTATOR).when().get(one).then().statusCode(200);
        given().header("Authorization", ROTATOR).when().post(one + "/test").then().statusCode(200);
        given().header("Authorization", ROTATOR).when().get(one + "/key-slots").then().statusCode(200);

        given().header("Authorization", ROTATOR).when().get(BASE).then().statusCode(403);
        given().header("Authorization", ROTATOR).when().get(one + "/browse").then().statusCode(403);
        given().header("Authorization", ROTATOR).when().get(one + "/permissions/manage").then().statusCode(403);
        given().header("Authorization", ROTATOR).when().get("/api/v1/audit-events").then().statusCode(403);
        given().header("Authorization", ROTATOR).when().delete(one).then().statusCode(403);
        given().header("Authorization", ROTATOR).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("rot2"), "SVC_OTHER",
                        ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null))
                .when().post(BASE).then().statusCode(403);
        // Its test is audited under its own name.
        assertThat(events(id)).extracting(e -> e.get("action") + " " + e.get("actor"))
                .contains("connection.test rotation-service");
    }

    /** What rotation-service asks with its caller's token before rotating a connection for that caller. */
    @Test
    void permissionsManageAnswersOnlyForManagers() {
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("mg"),
                ConnectionFixtures.serviceUser(snowflake, "SVC_MG", null),
                ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()), null, null));
        String path = BASE + "/" + id + "/permissions/manage";
        given().header("Authorization", MANAGE_ONLY).when().get(path).then().statusCode(200).body("id", equalTo(id));
        given().header("Authorization", READER).when().get(path).then().statusCode(403);
        given().header("Authorization", USER).when().get(path).then().statusCode(403);
        given().header("Authorization", MANAGE_ONLY).when().get(BASE + "/" + UUID.randomUUID() + "/permissions/manage")
                .then().statusCode(404);
    }

    /** A connection of a new service user holding {@code key} in slot 1, with the shared key-admin connection. */
    private String keyAdministered(String prefix, KeyPair key) {
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, key.getPublic());
        return ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName(prefix.toLowerCase()),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, ConnectionFixtures.adminConnection(snowflake)));
    }

    /** The connection's audit events after its creation. */
    private static List<Map<String, Object>> events(String id) {
        List<Map<String, Object>> events = given().header("Authorization", READER).queryParam("resourceId", id).when()
                .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath().getList("$");
        return events.stream().filter(e -> !"connection.create".equals(e.get("action"))).toList();
    }
}
