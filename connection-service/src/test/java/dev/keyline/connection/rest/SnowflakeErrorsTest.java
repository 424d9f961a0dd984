package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Each way a Snowflake connection goes wrong has its own problem type and says what to check. */
@QuarkusTest
class SnowflakeErrorsTest extends SnowflakeKeyFixture {

    static final String PROBLEM = "urn:keyline:problem:";

    @InjectVaultEmulator
    VaultEmulator vault;

    /** A connection for a fresh service user whose slot 1 holds {@code registered} (none when null). */
    String connection(String prefix, KeyPair registered, KeyPair stored, String adminId) {
        String user = user(prefix, registered, null);
        return ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName(prefix.toLowerCase()),
                user, ConnectionFixtures.pkcs8Pem(stored.getPrivate()), null, adminId));
    }

    @Test
    void aKeyMatchingNoSlotIsRejectedNamingItsFingerprint() {
        KeyPair registered = ConnectionFixtures.newKey();
        KeyPair wrong = ConnectionFixtures.newKey();
        String wrongFingerprint = Fingerprints.spkiSha256(wrong.getPublic());
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_WRONG", registered.getPublic());
        // Creating still works (the admin may register the key later) and says how the login went.
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("wrong"), user,
                        ConnectionFixtures.pkcs8Pem(wrong.getPrivate()), null, null))
                .when().post(BASE)
                .then().statusCode(201)
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.code", equalTo("390144"))
                .body("testLogin.type", equalTo("snowflake-jwt-rejected"))
                .extract().path("id");

        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "snowflake-jwt-rejected"))
                .body("detail", allOf(containsString(wrongFingerprint), containsString("user " + user),
                        containsString("account acme"), containsString("DESC USER " + user),
                        containsString("RSA_PUBLIC_KEY_FP")));
    }

    @Test
    void swappingToAnUnregisteredKeyFailsTheLoginAndStoresNothing() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_UNREG", key, key, null);
        KeyPair unregistered = ConnectionFixtures.newKey();

        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(unregistered.getPrivate()),
                        "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "credential-login-failed"))
                .body("detail", allOf(containsString("nothing was stored"), containsString("snowflake-jwt-rejected"),
                        containsString(Fingerprints.spkiSha256(unregistered.getPublic()))))
                // The field that gave the refused key, with why.
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("privateKey"))
                .body("errors[0].reason", allOf(containsString("rejected"),
                        containsString(Fingerprints.spkiSha256(unregistered.getPublic())), containsString("390144")));

        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(1))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
        assertThat(vault.versions("secret", "keyline/connection-service/connections/" + id)).hasSize(1);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(200);
    }

    @Test
    void aCandidateKeyIsLoggedInWithButNeverStored() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_CAND", key, key, null);
        String user = given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().path("details.user");
        KeyPair candidate = ConnectionFixtures.newKey();
        String candidateFp = Fingerprints.spkiSha256(candidate.getPublic());
        String path = BASE + "/" + id + "/credentials/test";

        // Not registered yet: Snowflake rejects it, the answer says so and names the key.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(candidate.getPrivate())))
                .when().post(path)
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "credential-login-failed"))
                .body("detail", allOf(containsString("not stored"), containsString(candidateFp)))
                .body("errors[0].field", equalTo("privateKey"))
                .body("errors[0].reason", containsString(candidateFp));

        snowflake.setKeySlot(ACCOUNT, user, 2, candidate.getPublic());
        int loginsBefore = snowflake.logins().size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.encryptedPem(candidate.getPrivate(), "candidate-pass"),
                        "privateKeyPassphrase", "candidate-pass"))
                .when().post(path)
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("keyFingerprint", equalTo(candidateFp))
                .body("user", equalTo(user));
        assertThat(snowflake.logins().subList(loginsBefore, snowflake.logins().size()))
                .anyMatch(l -> user.equalsIgnoreCase(l.user()) && candidateFp.equals(l.fingerprint()) && l.succeeded());

        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.encryptedPem(candidate.getPrivate(), "candidate-pass"),
                        "privateKeyPassphrase", "wrong"))
                .when().post(path)
                .then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-key-material"))
                .body("errors[0].field", equalTo("privateKeyPassphrase"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{}")
                .when().post(path)
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem(containsString("privateKey")));
        given().header("Authorization", READER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(candidate.getPrivate())))
                .when().post(path)
                .then().statusCode(403);

        // Nothing stored: same credential, same Vault versions, and the stored key still logs in.
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.credentialVersion", equalTo(1))
                .body("details.keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
        assertThat(vault.versions("secret", "keyline/connection-service/connections/" + id)).hasSize(1);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));
        given().header("Authorization", READER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200)
                .body("findAll { it.action == 'connection.credentials.check' }.outcome",
                        org.hamcrest.Matchers.containsInAnyOrder("FAILED", "SUCCESS", "FAILED"));
    }

    @Test
    void aUserWithoutAnyRegisteredKeyIsRejectedToo() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_NOKEY", null, key, null);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-jwt-rejected"));
    }

    @Test
    void withAKeyAdminConnectionTheRejectionSaysWhatTheSlotsHold() {
        String adminId = keyAdmin();
        KeyPair registered = ConnectionFixtures.newKey();
        KeyPair wrong = ConnectionFixtures.newKey();
        String id = connection("SVC_DIAG", registered, wrong, adminId);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-jwt-rejected"))
                .body("detail", allOf(containsString("RSA_PUBLIC_KEY_FP=" + Fingerprints.spkiSha256(registered.getPublic())),
                        containsString("RSA_PUBLIC_KEY_2_FP=(empty)"),
                        containsString("the stored key is " + Fingerprints.spkiSha256(wrong.getPublic()))));

        // Creating says the same in its first login's answer.
        String user = user("SVC_DIAG_CREATE", registered, null);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("svc_diag_create"), user,
                        ConnectionFixtures.pkcs8Pem(wrong.getPrivate()), null, adminId))
                .when().post(BASE)
                .then().statusCode(201)
                .body("testLogin.type", equalTo("snowflake-jwt-rejected"))
                .body("testLogin.detail", allOf(containsString("DESC USER " + user),
                        containsString("RSA_PUBLIC_KEY_FP=" + Fingerprints.spkiSha256(registered.getPublic())),
                        containsString("the stored key is " + Fingerprints.spkiSha256(wrong.getPublic()))));

        String empty = connection("SVC_DIAG_EMPTY", null, wrong, adminId);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + empty + "/test")
                .then().statusCode(422)
                .body("detail", containsString("Both key slots of user"));
    }

    @Test
    void aWrongPassphraseNamesThePassphraseFieldAndStoresNothing() {
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_PASS", ConnectionFixtures.opensslPublicKey());
        String name = ConnectionFixtures.uniqueName("wrong-pass");
        int before = vault.secretPaths("secret").size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.openssl("rsa2048-pkcs8-des3.pem"),
                        "not-the-passphrase", null))
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "invalid-key-material"))
                .body("errors[0].field", equalTo("details.privateKeyPassphrase"));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.openssl("rsa2048-pkcs8-aes256.pem"),
                        null, null))
                .when().post(BASE)
                .then().statusCode(400)
                .body("type", equalTo(PROBLEM + "invalid-key-material"))
                .body("errors[0].field", equalTo("details.privateKeyPassphrase"));
        assertThat(vault.secretPaths("secret")).hasSize(before);
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(snowflake.logins().stream().filter(l -> user.equalsIgnoreCase(l.user()))).isEmpty();
    }

    @Test
    void aKeyAdminConnectionWithoutThePrivilegeIsRefusedBySnowflake() {
        KeyPair plainKey = ConnectionFixtures.newKey();
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_TARGET", key.getPublic());
        // It declares the user (so connection-service lets it try), but its role lacks the privilege.
        String plainUser = ConnectionFixtures.serviceUser(snowflake, "PLAIN_ADMIN", plainKey.getPublic());
        Map<String, Object> plainBody = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("plain-admin"),
                plainUser, ConnectionFixtures.pkcs8Pem(plainKey.getPrivate()), null, null);
        ConnectionFixtures.details(plainBody).put("managesUsers", java.util.List.of(user));
        String plainAdmin = ConnectionFixtures.create(plainBody);
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("target"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, plainAdmin));

        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(ConnectionFixtures.newKey().getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "snowflake-insufficient-privileges"))
                .body("detail", allOf(containsString("MODIFY PROGRAMMATIC AUTHENTICATION METHODS"),
                        containsString("key-admin connection"), containsString("003001")));
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-insufficient-privileges"));
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKey2Fp()).isNull();
    }

    @Test
    void aPlainUserCannotSetItsOwnKey() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_SELF", key, key, null);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(ConnectionFixtures.newKey().getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-insufficient-privileges"))
                .body("detail", containsString("keyAdminConnectionId"));
        // Reading its own slots is allowed.
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(200).body("slots[0].matchesStoredKey", equalTo(true));
    }

    @Test
    void aMissingUserIsObjectNotFound() {
        String adminId = keyAdmin();
        KeyPair key = ConnectionFixtures.newKey();
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("ghost"),
                ConnectionFixtures.uniqueUser("GHOST"), ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, adminId));
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-object-not-found"))
                .body("detail", containsString("does not exist"));
    }

    @Test
    void userNamesCannotInjectSql() {
        String adminId = keyAdmin();
        String adminFingerprint = snowflake.keySlots(ACCOUNT, "ROTATOR").rsaPublicKeyFp();
        KeyPair key = ConnectionFixtures.newKey();
        String evil = "X\"; ALTER USER ROTATOR UNSET RSA_PUBLIC_KEY; --";
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("evil"), evil,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, adminId));

        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(key.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-object-not-found"));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id + "/key-slots/1")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-object-not-found"));
        assertThat(snowflake.keySlots(ACCOUNT, "ROTATOR").rsaPublicKeyFp()).isEqualTo(adminFingerprint);
        assertThat(snowflake.statements("DESC USER \"X\"\"; ALTER USER ROTATOR UNSET RSA_PUBLIC_KEY; --\"")).isNotEmpty();
    }

    @Test
    void userNamesWithOddCharactersAreQuotedExactly() {
        String adminId = keyAdmin();
        KeyPair key = ConnectionFixtures.newKey();
        String name = "svc.loader-" + ConnectionFixtures.uniqueUser("x").toLowerCase();
        ConnectionFixtures.account(snowflake).user("\"" + name + "\"", name).role("LOADER").rsaPublicKey(key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("odd"), name,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, adminId));
        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("publicKey", ConnectionFixtures.publicPem(next.getPublic())))
                .when().put(BASE + "/" + id + "/key-slots/2")
                .then().statusCode(200)
                .body("slots[0].matchesStoredKey", equalTo(true))
                .body("slots[1].fingerprint", equalTo(Fingerprints.spkiSha256(next.getPublic())));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("user", equalTo(name));
    }

    @Test
    void aSlowSnowflakeIsATimeout() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SLOW", key.getPublic());
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("slow"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        body.put("timeoutSecs", 1);
        String id = ConnectionFixtures.create(body);
        snowflake.setLatency(Duration.ofSeconds(4));
        long start = System.nanoTime();
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(504)
                .body("type", equalTo(PROBLEM + "snowflake-timeout"))
                .body("detail", containsString("within 1 s"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void anUnreachableHostIsSaidSo() {
        KeyPair key = ConnectionFixtures.newKey();
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("nowhere"), "svc_x",
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        body.put("timeoutSecs", 1);
        ConnectionFixtures.details(body).put("host", "http://127.0.0.1:1");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201)
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.type", equalTo("snowflake-unreachable"))
                .extract().path("id");
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(502)
                .body("type", equalTo(PROBLEM + "snowflake-unreachable"))
                .body("detail", allOf(containsString("http://127.0.0.1:1"), containsString("connection refused")));
    }

    /**
     * A role the user does not have: Snowflake (and the emulator) refuse the login with 390189 "Role '…'
     * specified in the connect string is not granted to this user". The user's configuration, like a
     * rejected key: 422 naming details.role, not 502 snowflake-error.
     */
    @Test
    void aRoleNotGrantedToTheUserNamesDetailsRole() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = user("SVC_NOROLE", key, null);
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("norole"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        ConnectionFixtures.details(body).put("role", "ANALYST_NOT_GRANTED");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201)
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.code", equalTo("390189"))
                .body("testLogin.type", equalTo("snowflake-role-not-granted"))
                .body("testLogin.errors[0].field", equalTo("details.role"))
                .extract().path("id");

        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "snowflake-role-not-granted"))
                .body("detail", allOf(containsString("ANALYST_NOT_GRANTED"), containsString("user " + user),
                        // Quoted as Snowflake resolves them, as the setup SQL writes them ("bad;role" stays one identifier).
                        containsString("GRANT ROLE \"ANALYST_NOT_GRANTED\" TO USER \"" + user.toUpperCase(java.util.Locale.ROOT) + "\""),
                        containsString("390189")))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("details.role"))
                .body("errors[0].reason", allOf(containsString("ANALYST_NOT_GRANTED"), containsString("not granted")));

        // A candidate key that logs in but under that role: the role is named, not the key (not credential-login-failed).
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(key.getPrivate())))
                .when().post(BASE + "/" + id + "/credentials/test")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "snowflake-role-not-granted"))
                .body("errors[0].field", equalTo("details.role"));
    }

    /**
     * A PUT that changes what the login uses logs in once more and says how it went (the change is saved
     * either way); one that changes nothing the login uses does not log in.
     */
    @Test
    void aReplaceThatChangesTheLoginReportsTestLogin() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = user("SVC_PUTROLE", key, null);
        String name = ConnectionFixtures.uniqueName("putrole");
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.pkcs8Pem(key.getPrivate()),
                null, null);
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).body("testLogin.ok", equalTo(true)).extract().path("id");

        Map<String, Object> changed = ConnectionFixtures.snowflakeBody(name, user, null, null, null);
        ConnectionFixtures.details(changed).put("role", "NOPE_NOT_GRANTED");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(changed).when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("details.role", equalTo("NOPE_NOT_GRANTED"))
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.type", equalTo("snowflake-role-not-granted"))
                .body("testLogin.errors[0].field", equalTo("details.role"));

        // This user's logins only: other tests' sessions may still be logging in meanwhile.
        long logins = snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).count();
        changed.put("description", "only the description");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(changed).when().put(BASE + "/" + id)
                .then().statusCode(200).body("testLogin", org.hamcrest.Matchers.nullValue());
        assertThat(snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).count()).isEqualTo(logins);
    }

    @Test
    void otherSnowflakeErrorsCarryTheirCode() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_OTHER", key, key, null);
        String user = given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().path("details.user");
        // This user's next login only: another test's login in flight must not take the failure.
        snowflake.failNextLoginOf(user, "390100");
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(502)
                .body("type", equalTo(PROBLEM + "snowflake-error"))
                .body("detail", containsString("390100"));
    }

    @Test
    void aStaleCredentialVersionIsAConflictAndChangesNothing() {
        KeyPair key = ConnectionFixtures.newKey();
        String id = connection("SVC_STALE", key, key, null);
        KeyPair next = ConnectionFixtures.newKey();
        given().header("Authorization", MANAGER).header("If-Match", "\"7\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 7))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "stale-credential-version"))
                .body("errors[0].field", equalTo("expectedCredentialVersion"));
        assertThat(vault.versions("secret", "keyline/connection-service/connections/" + id)).hasSize(1);
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().body("details.credentialVersion", equalTo(1));
    }

    /**
     * Snowflake logs in with a warehouse or database that does not exist (or the role may not use) and
     * leaves the session without it; the test must say so, naming the setting, where a bare login
     * would report success and the first query ("No active warehouse selected") fail later.
     */
    @Test
    void aWarehouseOrDatabaseTheSessionDidNotGetFailsTheTestNamingTheSetting() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = user("SVC_NOWH", key, null);
        String warehouse = "WH_" + user;
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("nowh"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        ConnectionFixtures.details(body).put("warehouse", warehouse);
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201)
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.type", equalTo("snowflake-object-not-found"))
                .body("testLogin.errors.field", org.hamcrest.Matchers.contains("details.warehouse"))
                .extract().path("id");

        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "snowflake-object-not-found"))
                .body("detail", allOf(containsString("did not get its warehouse " + warehouse), containsString("No active warehouse")))
                .body("errors.field", org.hamcrest.Matchers.contains("details.warehouse"))
                .body("errors[0].reason", allOf(containsString(warehouse), containsString("GRANT USAGE ON WAREHOUSE"),
                        containsString("LOADER")));
        // A candidate key is about the key: the same session settings do not fail its check.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(key.getPrivate())))
                .when().post(BASE + "/" + id + "/credentials/test")
                .then().statusCode(200).body("ok", equalTo(true));

        snowflake.account(ACCOUNT).warehouse(warehouse);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("warehouse", equalTo(warehouse));

        // A database that does not exist: named on its own field.
        String etag = given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().header("ETag");
        ConnectionFixtures.details(body).put("database", "NO_SUCH_DB");
        ConnectionFixtures.details(body).remove("privateKey");
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("testLogin.ok", equalTo(false))
                .body("testLogin.errors.field", org.hamcrest.Matchers.contains("details.database"));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("details.database"))
                .body("errors[0].reason", allOf(containsString("NO_SUCH_DB"), containsString("GRANT USAGE ON DATABASE")))
                .body("detail", allOf(containsString("its database NO_SUCH_DB"),
                        org.hamcrest.Matchers.not(containsString("warehouse"))));
    }

    /**
     * A warehouse that exists but the connection's role may not use: Snowflake logs in without it, as for a
     * missing one, so the test names details.warehouse and the GRANT to run; once the role has USAGE the
     * session gets it and the test passes.
     */
    @Test
    void aWarehouseTheRoleHasNoUsageOnFailsTheTestUntilUsageIsGranted() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = user("SVC_NOUSAGE", key, null);
        String warehouse = "WH_" + user;
        // Exists, but USAGE is granted to no role: only its owner SYSADMIN (and ACCOUNTADMIN) may use it.
        snowflake.account(ACCOUNT).restrictedWarehouse(warehouse);
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("nousage"), user,
                ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        ConnectionFixtures.details(body).put("warehouse", warehouse);
        String id = ConnectionFixtures.create(body);

        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "snowflake-object-not-found"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("details.warehouse"))
                .body("errors[0].reason", allOf(containsString(warehouse),
                        containsString("GRANT USAGE ON WAREHOUSE " + warehouse + " TO ROLE "
                                + ConnectionFixtures.SERVICE_ROLE)));

        snowflake.account(ACCOUNT).role(ConnectionFixtures.SERVICE_ROLE).usageOnWarehouse(warehouse);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("warehouse", equalTo(warehouse));
    }
}
