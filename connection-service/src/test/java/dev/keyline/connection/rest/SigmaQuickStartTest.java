package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;

import java.security.KeyPair;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The create-connection body of Sigma's QuickStart "Snowflake key pair rotation"
 * (https://quickstarts.sigmacomputing.com/guide/security_snowflake_keypair_rotation/, the API step
 * that creates the key-pair connection; field set and shape as the guide prints them, including its
 * {@code "description": {}}, {@code "timeoutSecs": 600}, {@code details.useOauth} and top-level
 * {@code useFriendlyNames}). Only the values a reader fills in are replaced: the host (the
 * emulator's instead of {@code <account>.snowflakecomputing.com}), account, user, role, warehouse
 * and the private key.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class SigmaQuickStartTest {

    /** The guide's body; {@code %s} are the values the reader fills in. */
    static final String QUICKSTART_BODY = """
            {
              "details": {
                "type": "snowflake",
                "host": "%s",
                "account": "%s",
                "warehouse": "COMPUTE_WH",
                "user": "%s",
                "role": "%s",
                "privateKey": "%s",
                "useOauth": false
              },
              "name": "%s",
              "useFriendlyNames": false,
              "timeoutSecs": 600,
              "description": {}
            }
            """;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    String body(String user, String pem, String name) {
        return QUICKSTART_BODY.formatted(ConnectionFixtures.snowflakeUrl(), ConnectionFixtures.ACCOUNT.toLowerCase(), user,
                ConnectionFixtures.SERVICE_ROLE, pem.replace("\n", "\\n"), name);
    }

    @Test
    void theGuidesBodyCreatesAConnectionThatLogsIn() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SIGMA", key.getPublic());
        String name = ConnectionFixtures.uniqueName("Sigma Key Pair");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), name))
                .when().post(BASE)
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("timeoutSecs", equalTo(600))
                .body("useFriendlyNames", equalTo(false))
                .body("$", not(hasKey("description")))
                .body("details.useOauth", equalTo(false))
                .body("details.authType", equalTo("key-pair"))
                .body("testLogin.ok", equalTo(true))
                .extract().path("id");
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void friendlyNamesAreStoredAsGiven() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SIGMA", key.getPublic());
        String body = body(user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), ConnectionFixtures.uniqueName("Sigma"))
                .replace("\"useFriendlyNames\": false", "\"useFriendlyNames\": true")
                .replace("\"description\": {}", "\"description\": \"made by the QuickStart\"");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).extract().path("id");
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id)
                .then().statusCode(200)
                .body("useFriendlyNames", equalTo(true))
                .body("description", equalTo("made by the QuickStart"));
    }

    @Test
    void oauthIsRefusedSayingOnlyKeyPairsAreSupported() {
        KeyPair key = ConnectionFixtures.newKey();
        String body = body("SVC_SIGMA_OAUTH", ConnectionFixtures.pkcs8Pem(key.getPrivate()), ConnectionFixtures.uniqueName("Sigma"))
                .replace("\"useOauth\": false", "\"useOauth\": true");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400)
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors.field", hasItem("details.useOauth"))
                .body("errors.reason", hasItem(containsString("only key-pair")));
    }

    @Test
    void fieldsNobodyDocumentsAreStillRefused() {
        KeyPair key = ConnectionFixtures.newKey();
        String base = body("SVC_SIGMA_X", ConnectionFixtures.pkcs8Pem(key.getPrivate()), ConnectionFixtures.uniqueName("Sigma"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(base.replace("\"useFriendlyNames\"", "\"useFriendlyName\""))
                .when().post(BASE)
                .then().statusCode(400).body("errors.field", hasItem("useFriendlyName"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(base.replace("\"useOauth\": false", "\"useOauth\": false, \"isSample\": false"))
                .when().post(BASE)
                .then().statusCode(400).body("errors.field", hasItem("details.isSample"));
        // {} means "no description"; an object with content is not a description.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(base.replace("\"description\": {}", "\"description\": {\"text\": \"x\"}"))
                .when().post(BASE)
                .then().statusCode(400).body("errors.field", hasItem("description"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(base.replace("\"timeoutSecs\": 600", "\"timeoutSecs\": 601"))
                .when().post(BASE)
                .then().statusCode(400).body("errors.field", hasItem("timeoutSecs"));
    }
}
