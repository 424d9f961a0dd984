package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Names as people write them (issue #12 item 6): any script, punctuation, trimmed, unique regardless of case. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ConnectionNamesTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    Map<String, Object> body(String name) {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_NAMES", key.getPublic());
        return ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
    }

    @Test
    void namesAreTrimmedAndUniqueRegardlessOfCase() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String name = "Partner (prod) " + tag;
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body("  " + name + " "))
                .when().post(BASE).then().statusCode(201).body("name", equalTo(name));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name.toUpperCase()))
                .when().post(BASE).then().statusCode(409)
                .body("type", equalTo("urn:keyline:problem:name-taken"))
                .body("errors.field", hasItem("name"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body("Zahlungen – EU " + tag))
                .when().post(BASE).then().statusCode(201).body("name", equalTo("Zahlungen – EU " + tag));
    }

    @Test
    void markupAndControlCharactersAreStillRefused() {
        for (String name : new String[] { "a<b>", "bidi\u202Ename", "line\nbreak" }) {
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                    .when().post(BASE).then().statusCode(400).body("errors.field", hasItem("name"));
        }
    }
}
