package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.OUTSIDER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** connections:read reads, connections:manage changes and uses; everyone else gets problem+json 401/403. */
@QuarkusTest
class SecurityTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @BeforeAll
    static void guard() {
        SecretLeakGuard.install();
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
        given().header("Authorization", READER).when().get(one + "/browse").then().statusCode(200);
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
}
