package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A stored key signs in only where its account lives: {@code details.host} must be the account's
 * own Snowflake endpoint (or an allowed host), and moving a connection that holds a key to another
 * account, host or user needs the key in the same request. Every change is audited before → after.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class EndpointChangeTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Test
    void aHostOutsideTheAccountsSnowflakeEndpointIsRefused() {
        KeyPair key = ConnectionFixtures.newKey();
        String name = ConnectionFixtures.uniqueName("elsewhere");
        for (String host : List.of("https://evil.example.com", "https://acme.snowflakecomputing.com.evil.example",
                "https://other-account.snowflakecomputing.com", "evil.example:443")) {
            Map<String, Object> body = ConnectionFixtures.snowflakeBody(name, "SVC_X",
                    ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
            ConnectionFixtures.details(body).put("host", host);
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                    .when().post(BASE)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("details.host"))
                    .body("errors[0].reason", containsString("snowflakecomputing.com"));
        }
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void movingAConnectionThatHoldsAKeyNeedsTheKeyAgain() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_MOVE", key.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("move"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        String id = ConnectionFixtures.create(body);
        String before = ConnectionFixtures.snowflakeUrl();
        // Another endpoint the local setting allows (a closed loopback port), without the key: refused.
        Map<String, Object> details = ConnectionFixtures.details(body);
        details.remove("privateKey");
        details.put("host", "http://127.0.0.1:1");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id))
                .contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:key-required"))
                .body("errors[0].field", equalTo("details.privateKey"));
        // Another user, without the key: refused as well.
        details.put("host", before);
        details.put("user", "SVC_SOMEONE_ELSE");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id))
                .contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).body("type", equalTo("urn:keyline:problem:key-required"));
        // Another key than the stored one: refused (keys change through PUT .../credentials).
        details.put("user", user);
        details.put("host", "http://127.0.0.1:1");
        details.put("privateKey", ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()));
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id))
                .contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(422).body("type", equalTo("urn:keyline:problem:key-mismatch"));
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("details.host", equalTo(before));

        // With the stored key: moved, and audited before -> after without any key material.
        details.put("privateKey", ConnectionFixtures.pkcs8Pem(key.getPrivate()));
        details.put("role", "PUBLIC");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id))
                .contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.host", equalTo("http://127.0.0.1:1"))
                .body("details.credentialVersion", equalTo(1));
        JsonPath events = given().header("Authorization", MANAGER).queryParam("resourceId", id)
                .queryParam("action", "connection.update").queryParam("outcome", "SUCCESS")
                .when().get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath();
        String detail = events.getString("[0].detail");
        assertThat(detail).contains("host: " + before + " -> http://127.0.0.1:1").contains("role: LOADER -> PUBLIC")
                .doesNotContain("PRIVATE KEY");
    }
}
