package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A public key for a key slot, pasted the ways a data engineer pastes {@code openssl rsa -in rsa_key.p8
 * -pubout}: the base64 lines alone (what Snowflake's docs show), a Windows clipboard's CRLF, a PKCS#1
 * {@code RSA PUBLIC KEY}. Each is read as the private-key field reads the same forms and registers the
 * SPKI whose fingerprint Snowflake shows.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class KeySlotPublicKeyFormsTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    private String connection(String prefix) {
        String adminId = ConnectionFixtures.adminConnection(snowflake);
        KeyPair stored = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, prefix, stored.getPublic());
        return ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName(prefix), user,
                ConnectionFixtures.pkcs8Pem(stored.getPrivate()), null, adminId));
    }

    private static String lines(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).collect(Collectors.joining("\n"));
    }

    private static String pkcs1Pem(KeyPair key) {
        try {
            byte[] der = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).parsePublicKey().getEncoded();
            String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
            return "-----BEGIN RSA PUBLIC KEY-----\n" + body + "\n-----END RSA PUBLIC KEY-----\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void put(String id, String form, String publicKey, String fingerprint) {
        var response = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", publicKey))
                .when().put(BASE + "/" + id + "/key-slots/2");
        assertThat(response.statusCode()).as(form + ": " + response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("slots[1].fingerprint")).as(form).isEqualTo(fingerprint);
    }

    @Test
    void crlfAndBareBase64LinesAndPkcs1AreRegisteredWithTheSpkiFingerprint() {
        String id = connection("SVC_PUB_FORMS");
        String user = given().header("Authorization", MANAGER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().path("details.user");
        for (String form : new String[] { "crlf", "bare-lines", "bare-lines-crlf", "pkcs1", "pkcs1-lines" }) {
            KeyPair key = ConnectionFixtures.newKey();
            String pem = ConnectionFixtures.publicPem(key.getPublic());
            String text = switch (form) {
                case "crlf" -> pem.replace("\n", "\r\n");
                case "bare-lines" -> lines(pem);
                case "bare-lines-crlf" -> lines(pem).replace("\n", "\r\n") + "\r\n";
                case "pkcs1" -> pkcs1Pem(key);
                default -> lines(pkcs1Pem(key));
            };
            String fingerprint = Fingerprints.spkiSha256(key.getPublic());
            put(id, form, text, fingerprint);
            assertThat(snowflake.keySlots(ConnectionFixtures.ACCOUNT, user).rsaPublicKey2Fp()).as(form)
                    .isEqualTo(fingerprint);
        }
    }

    @Test
    void somethingElseIsRefusedNamingTheAcceptedForms() {
        String id = connection("SVC_PUB_BAD");
        String notAKey = Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(ConnectionFixtures.newKey().getPublic().getEncoded()).substring(0, 300);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(Map.of("publicKey", notAKey))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-key-material"))
                .body("errors[0].field", equalTo("publicKey"));
        String twoSmallIntegers = "-----BEGIN PUBLIC KEY-----\nMAYCAQACAQA=\n-----END PUBLIC KEY-----\n";
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(Map.of("publicKey", twoSmallIntegers))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("publicKey"))
                .body("errors[0].reason", allOf(containsString("-pubout"), containsString("RSA PUBLIC KEY")));
    }
}
