package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.common.testing.HostilePem;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Each bad request is a 4xx problem naming the field; nothing reaches PostgreSQL, Vault or Snowflake. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ConnectionBadInputTest {

    @InjectVaultEmulator
    VaultEmulator vault;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    static final KeyPair KEY = ConnectionFixtures.newKey();

    static Stream<Arguments> badBodies() {
        String pem = ConnectionFixtures.pkcs8Pem(KEY.getPrivate());
        String ecPem = ConnectionFixtures.pkcs8Pem(ec().getPrivate());
        return Stream.of(
                Arguments.of("no details", "details", edit(b -> b.remove("details"))),
                // PostgreSQL's text cannot hold NUL: it was a 500 at the insert.
                Arguments.of("description with NUL", "description", edit(b -> b.put("description", "a\u0000b"))),
                Arguments.of("description with ESC", "description", edit(b -> b.put("description", "a\u001b[31m"))),
                Arguments.of("unknown type", "details.type", details(d -> d.put("type", "oracle"))),
                Arguments.of("missing account", "details.account", details(d -> d.remove("account"))),
                Arguments.of("account with spaces", "details.account", details(d -> d.put("account", "my account"))),
                // It became https://xy12345.snowflakecomputing.com.snowflakecomputing.com, which no login reaches.
                Arguments.of("account with .snowflakecomputing.com", "details.account",
                        details(d -> d.put("account", "xy12345.snowflakecomputing.com"))),
                Arguments.of("account with .privatelink.snowflakecomputing.com", "details.account",
                        details(d -> d.put("account", "xy12345.eu-central-1.PrivateLink.SnowflakeComputing.com"))),
                Arguments.of("account as a URL", "details.account",
                        details(d -> d.put("account", "https://xy12345.snowflakecomputing.com/"))),
                Arguments.of("missing user", "details.user", details(d -> d.remove("user"))),
                Arguments.of("user with a newline", "details.user", details(d -> d.put("user", "svc\nx"))),
                Arguments.of("basic auth", "details.authType", details(d -> d.put("authType", "basic"))),
                Arguments.of("plain http to a non-loopback host", "details.host",
                        details(d -> d.put("host", "http://snowflake.example.com:8080"))),
                Arguments.of("host with a path", "details.host", details(d -> d.put("host", "https://x.example.com/path"))),
                Arguments.of("api field on snowflake", "details.baseUrl",
                        details(d -> d.put("baseUrl", "https://api.example.com"))),
                Arguments.of("missing key", "details.privateKey", details(d -> d.remove("privateKey"))),
                Arguments.of("garbage key", "details.privateKey", details(d -> d.put("privateKey", "hello world"))),
                Arguments.of("two keys", "details.privateKey", details(d -> d.put("privateKey", pem + pem))),
                Arguments.of("EC key", "details.privateKey", details(d -> d.put("privateKey", ecPem))),
                Arguments.of("RSA 1024", "details.privateKey",
                        details(d -> d.put("privateKey", ConnectionFixtures.openssl("rsa1024-pkcs8.pem")))),
                Arguments.of("public key instead of private", "details.privateKey",
                        details(d -> d.put("privateKey", ConnectionFixtures.publicPem(KEY.getPublic())))),
                Arguments.of("PKCS#12 blob", "details.privateKey",
                        details(d -> d.put("privateKey", ConnectionFixtures.openssl("cert.p12.b64")))),
                Arguments.of("unknown field", "details.password", details(d -> d.put("password", SecretLeakGuard.secret("hunter2-secret")))),
                Arguments.of("timeout too long", "timeoutSecs", edit(b -> b.put("timeoutSecs", 3600))),
                Arguments.of("timeout not a number", "timeoutSecs", edit(b -> b.put("timeoutSecs", "soon"))),
                Arguments.of("key admin not a uuid", "details.keyAdminConnectionId",
                        details(d -> d.put("keyAdminConnectionId", "admin"))),
                Arguments.of("key admin unknown", "details.keyAdminConnectionId",
                        details(d -> d.put("keyAdminConnectionId", java.util.UUID.randomUUID().toString()))),
                Arguments.of("bad name", "name", edit(b -> b.put("name", "<script>"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badInputIsRejectedNamingTheFieldAndStoresNothing(String label, String field,
            Consumer<Map<String, Object>> edit) {
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("bad"), "svc_bad",
                ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null);
        edit.accept(body);
        int secrets = vault.secretPaths("secret").size();
        int logins = snowflake.logins().size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
        assertThat(snowflake.logins()).hasSize(logins);
        if (body.get("name") instanceof String name && !name.startsWith("<")) {
            given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                    .then().statusCode(200).body("total", equalTo(0));
        }
    }

    /**
     * A blank name was answered alone (bean validation ran first and stopped the request), so the bad
     * account, key, warehouse and key-admin reference showed only at the next attempts: one 400 names
     * them all, each field once, in field order, on create and on replace.
     */
    @Test
    void everyBadFieldIsNamedAtOnce() {
        Map<String, Object> body = ConnectionFixtures.snowflakeBody("  ", "svc_all", "hello world", null,
                java.util.UUID.randomUUID().toString());
        ConnectionFixtures.details(body).put("account", "xy12345.snowflakecomputing.com");
        ConnectionFixtures.details(body).put("warehouse", "WH\u0007");
        int secrets = vault.secretPaths("secret").size();
        int logins = snowflake.logins().size();
        java.util.List<String> fields = java.util.List.of("details.account", "details.keyAdminConnectionId",
                "details.privateKey", "details.warehouse", "name");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors.field", org.hamcrest.Matchers.contains(fields.toArray()))
                .body("errors.find { it.field == 'name' }.reason", equalTo("must not be blank"))
                .body("errors.find { it.field == 'details.privateKey' }.reason",
                        org.hamcrest.Matchers.containsString("PEM"))
                .body("errors.find { it.field == 'details.keyAdminConnectionId' }.reason", equalTo("no connection has this id"));

        // Replace: the same, with or without If-Match (the body's problems come first, as before), and a
        // value refused by bean validation (an account over 255 characters) is not refused twice.
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_ALL", KEY.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("all"), user,
                ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null));
        secrets = vault.secretPaths("secret").size();
        logins = snowflake.logins().size();
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id))
                .contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains(fields.toArray()));
        ConnectionFixtures.details(body).put("account", "x".repeat(300));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains(fields.toArray()))
                .body("errors.find { it.field == 'details.account' }.reason", equalTo("size must be between 0 and 255"));
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
        assertThat(snowflake.logins()).hasSize(logins);
    }

    /**
     * JSON that could not be read as the body was answered one field at a time (Jackson stopped at the
     * first): several unknown fields and values of the wrong type, at the top and nested, are named in
     * one 400 with their paths, with the bean-validation violations of what could be read; no value is
     * echoed (the unknown field's is a password) and nothing is stored or tried.
     */
    @Test
    void aBodyOfMoreTokensThanAnyRequestHasIsRefusedWithoutReadingItAll() {
        // 40,000 unknown keys (~500 KB, under the body limit): a record buffers them all before refusing one.
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 40_000; i++) {
            body.append("\"k").append(i).append("\":1,");
        }
        body.append("\"name\":\"tokens\"}");
        int secrets = vault.secretPaths("secret").size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body.toString())
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:malformed-json"))
                .body("detail", equalTo("The request body has more than 10000 JSON tokens"))
                .body("errors.field", org.hamcrest.Matchers.contains("$"))
                .body("errors.reason", org.hamcrest.Matchers.contains("more than 10000 JSON tokens (keys, values, brackets)"));
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
    }

    @Test
    void unknownFieldsAndWrongTypesAreNamedAtOnce() {
        String password = SecretLeakGuard.secret("hunter3-unknown-field-secret");
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("types"), "svc_types",
                ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null);
        body.put("name", 5);
        body.put("account", java.util.List.of());
        body.put("colour", "red");
        body.put("bogus", 1);
        body.put("timeoutSecs", "soon");
        body.put("description", Map.of("a", 1));
        Map<String, Object> details = ConnectionFixtures.details(body);
        details.put("password", password);
        details.put("keyAdminConnectionId", "admin");
        details.put("managesUsers", java.util.List.of("SVC_A", 7, Map.of("x", 1)));
        details.put("warehouse", "W".repeat(300));
        int secrets = vault.secretPaths("secret").size();
        int logins = snowflake.logins().size();
        String answer = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("detail", equalTo("The request has 11 invalid field(s)"))
                .body("errors.field", org.hamcrest.Matchers.contains("account", "bogus", "colour", "description",
                        "details.keyAdminConnectionId", "details.managesUsers[1]", "details.managesUsers[2]",
                        "details.password", "details.warehouse", "name", "timeoutSecs"))
                .body("errors.find { it.field == 'name' }.reason", equalTo("expected string"))
                .body("errors.find { it.field == 'colour' }.reason", equalTo("unknown field"))
                .body("errors.find { it.field == 'details.password' }.reason", equalTo("unknown field"))
                .body("errors.find { it.field == 'timeoutSecs' }.reason", equalTo("expected whole number"))
                .body("errors.find { it.field == 'description' }.reason", equalTo("expected string"))
                .body("errors.find { it.field == 'details.keyAdminConnectionId' }.reason", equalTo("expected UUID"))
                .body("errors.find { it.field == 'details.managesUsers[2]' }.reason", equalTo("expected string"))
                .body("errors.find { it.field == 'details.warehouse' }.reason", equalTo("size must be between 0 and 255"))
                .extract().asString();
        assertThat(answer).doesNotContain(password).doesNotContain("PRIVATE KEY").doesNotContain("soon")
                .doesNotContain("red").doesNotContain("admin");
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
        assertThat(snowflake.logins()).hasSize(logins);

        // A credential swap's body too; a key of the wrong type is named, never shown.
        String key = ConnectionFixtures.pkcs8Pem(KEY.getPrivate());
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", java.util.List.of(key), "expectedCredentialVersion", "one", "extra", key))
                .when().put(BASE + "/" + java.util.UUID.randomUUID() + "/credentials")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("expectedCredentialVersion", "extra", "privateKey"))
                .body("errors.reason", org.hamcrest.Matchers.contains("expected whole number", "unknown field",
                        "expected string"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("PRIVATE KEY")));
    }

    /** The other bodies too: a credential swap's and an API call's bean-validation violations come with the rest. */
    @Test
    void theOtherBodiesNameEveryBadFieldAtOnceToo() {
        // No expectedCredentialVersion hid that the key is no key.
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", "hello world"))
                .when().put(BASE + "/" + java.util.UUID.randomUUID() + "/credentials")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("expectedCredentialVersion", "privateKey"));
        // An unknown method hid the control character in the path and the refused header.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("method", "FETCH", "path", "a\nb", "headers", Map.of("Authorization", "Bearer x")))
                .when().post(BASE + "/" + java.util.UUID.randomUUID() + "/requests")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("headers.Authorization", "method", "path"));
    }

    /**
     * A passphrase sent with a key that is not encrypted was accepted and dropped: the caller could
     * believe the key protected, or the passphrase checked. Refused on the passphrase field (as Python's
     * cryptography refuses it) on create, credential swap and candidate test, never echoing either; an
     * empty or blank passphrase is none (an empty form field).
     */
    @Test
    void aPassphraseWithAPlainKeyIsRefusedOnThePassphraseField() {
        String reason = "A passphrase was given but the private key is not encrypted; leave the passphrase out (or "
                + "empty) for an unencrypted key.";
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_PLAINPASS", KEY.getPublic());
        String pem = ConnectionFixtures.pkcs8Pem(KEY.getPrivate());
        String passphrase = SecretLeakGuard.secret("plain-but-pass-9Zx");
        String name = ConnectionFixtures.uniqueName("plainpass");
        int secrets = vault.secretPaths("secret").size();
        int logins = snowflake.logins().size();
        String answer = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(name, user, pem, passphrase, null))
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-key-material"))
                .body("errors.field", org.hamcrest.Matchers.contains("details.privateKeyPassphrase"))
                .body("errors[0].reason", equalTo(reason))
                .extract().asString();
        assertThat(answer).doesNotContain(passphrase).doesNotContain("PRIVATE KEY");
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
        assertThat(snowflake.logins()).hasSize(logins);

        // Empty or blank: no passphrase (set here: the fixture would register it as a secret to look for).
        Map<String, Object> blank = ConnectionFixtures.snowflakeBody(name, user, pem, null, null);
        ConnectionFixtures.details(blank).put("privateKeyPassphrase", "   ");
        String id = ConnectionFixtures.create(blank);
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("details.hasPassphrase", equalTo(false));

        Map<String, Object> swap = new HashMap<>();
        swap.put("privateKey", pem);
        swap.put("privateKeyPassphrase", passphrase);
        swap.put("expectedCredentialVersion", 1);
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON).body(swap)
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("privateKeyPassphrase"))
                .body("errors[0].reason", equalTo(reason));
        swap.remove("expectedCredentialVersion");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(swap)
                .when().post(BASE + "/" + id + "/credentials/test")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("privateKeyPassphrase"))
                .body("errors[0].reason", equalTo(reason));
        swap.put("privateKeyPassphrase", "");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(swap)
                .when().post(BASE + "/" + id + "/credentials/test")
                .then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void anAccountWithSnowflakesDomainNamesTheIdentifierToSend() {
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("acct"), "svc_acct",
                ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) body.get("details");
        details.put("account", "XY12345.SnowflakeComputing.COM");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("details.account"))
                .body("errors[0].reason", equalTo("must be the account identifier without '.snowflakecomputing.com' "
                        + "(Keyline adds the domain): send \"XY12345\""));
    }

    @Test
    void anRsaKeyAboveTheDeploymentCeilingIsRefusedOnItsSizeAlone() {
        // Every login signs its JWT with the stored key: at 16384 bits that is ~0.5 s of CPU per test.
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("huge"), "svc_huge",
                HostilePem.rsaOfBits(12_000), null, null);
        int secrets = vault.secretPaths("secret").size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("details.privateKey"))
                .body("errors[0].reason", equalTo("The RSA key is 12000 bits; this deployment accepts at most 8192 bits "
                        + "(keyline.keys.max-rsa-bits)."));
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
    }

    @Test
    void malformedJsonIsAProblem() {
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Unexpected end")));
    }

    @Test
    void aPageBeyondTheLastPossibleOneIsAFieldErrorNotAnOverflow() {
        // page × size is the query's int offset: Integer.MAX_VALUE × 200 overflowed to a negative one (500).
        given().header("Authorization", READER).queryParam("page", Integer.MAX_VALUE).queryParam("size", 200)
                .when().get(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"));
        given().header("Authorization", READER).queryParam("page", 1_000_000).queryParam("size", 200)
                .when().get(BASE).then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void oversizedBodiesAreRefusedBeforeParsing() {
        String huge = "A".repeat(1_100_000);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"big\",\"details\":{\"type\":\"snowflake\",\"privateKey\":\"" + huge + "\"}}")
                .when().post(BASE)
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:request-too-large"));
    }

    @Test
    void keysCannotChangeThroughPut() {
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_PUT", KEY.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("put"), user,
                ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null);
        String id = ConnectionFixtures.create(body);
        // Another key is refused: keys change through PUT .../credentials only, which logs in with it first.
        ConnectionFixtures.details(body).put("privateKey",
                ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()));
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(422)
                .body("type", equalTo("urn:keyline:problem:key-mismatch"))
                .body("errors[0].field", equalTo("details.privateKey"));

        // Without the key, metadata changes (here the role) are accepted.
        ConnectionFixtures.details(body).remove("privateKey");
        ConnectionFixtures.details(body).put("role", "PUBLIC");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.role", equalTo("PUBLIC"))
                .body("details.credentialVersion", equalTo(1));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("role", equalTo("PUBLIC"));
    }

    @Test
    void badPublicKeysAndSlotsAreRefusedBeforeSnowflake() {
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SLOTS", KEY.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("slots"),
                user, ConnectionFixtures.pkcs8Pem(KEY.getPrivate()), null, null));
        int logins = snowflake.logins().size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(ec().getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(400).body("type", equalTo("urn:keyline:problem:invalid-key-material"))
                .body("errors[0].field", equalTo("publicKey"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.pkcs8Pem(KEY.getPrivate())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(400).body("errors[0].field", equalTo("publicKey"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(KEY.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/3")
                .then().statusCode(400).body("errors[0].field", equalTo("slot"));
        assertThat(snowflake.logins()).hasSize(logins);
    }

    private static Consumer<Map<String, Object>> edit(Consumer<Map<String, Object>> change) {
        return change;
    }

    private static Consumer<Map<String, Object>> details(Consumer<Map<String, Object>> change) {
        return body -> {
            Map<String, Object> details = new HashMap<>(ConnectionFixtures.details(body));
            change.accept(details);
            body.put("details", details);
        };
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
