package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.RsaKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * All three parts for real: rotation-service (this app), connection-service (child process), the
 * Snowflake emulator (driven by the real JDBC driver inside connection-service), Vault emulators
 * and PostgreSQL. After every rotation and fault: the old key is gone from the user's slots, the
 * stored key logs in ({@code /test}) and matches a registered slot.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class RotationEndToEndTest {

    static final String ACCOUNT = "ACME";
    static final String MANAGER = TestTokens.bearer("carol", "rotations:manage");
    static final String CS_MANAGER = TestTokens.bearer("carol", "connections:manage");
    static final KeyPair ADMIN_KEY = RsaKeys.generate(2048);
    static String adminConnectionId;

    RotationStack.Handles stack;

    @BeforeEach
    void setUp() {
        SecretLeakGuard.install();
        stack.snowflake().clearFaults();
        stack.rotationVault().clearFaults();
        SnowflakeAccount acme = stack.snowflake().account(ACCOUNT);
        acme.role("LOADER");
        acme.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
        acme.user("ROTATOR").role("KEY_ADMIN").rsaPublicKey(ADMIN_KEY.getPublic());
        synchronized (RotationEndToEndTest.class) {
            if (adminConnectionId == null) {
                Map<String, Object> body = connectionBody("e2e-admin", "rotator", ADMIN_KEY.getPrivate(), null);
                details(body).put("role", "KEY_ADMIN");
                adminConnectionId = createConnection(body);
            }
        }
    }

    @Test
    void rotatesTwiceSlotOneTwoOne() {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair initial = RsaKeys.generate(2048);
        stack.snowflake().account(ACCOUNT).user(user).role("LOADER").rsaPublicKey(initial.getPublic());
        String id = createConnection(connectionBody("e2e-svc-" + user, user, initial.getPrivate(), adminConnectionId));
        String initialFp = Fingerprints.spkiSha256(initial.getPublic());

        JsonPath first = rotateAndWait(id, null);
        assertThat(first.getString("state")).isEqualTo("DONE");
        assertThat(first.getInt("oldSlot")).isEqualTo(1);
        assertThat(first.getInt("slot")).isEqualTo(2);
        assertThat(first.getString("oldFingerprint")).isEqualTo(initialFp);
        assertThat(first.getList("steps.step")).contains("PLAN", "GENERATE", "REGISTER", "VERIFY", "SWAP", "DRAIN",
                "RETIRE", "DONE");
        assertRotated(id, user, initialFp, first.getString("newFingerprint"), 2);

        JsonPath second = rotateAndWait(id, null);
        assertThat(second.getString("state")).isEqualTo("DONE");
        assertThat(second.getInt("slot")).isEqualTo(1);
        assertRotated(id, user, first.getString("newFingerprint"), second.getString("newFingerprint"), 1);

        given().header("Authorization", MANAGER).when().get("/api/v1/rotations?connectionId=" + id).then()
                .statusCode(200).body("size()", org.hamcrest.Matchers.is(2));
        assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(first.getString("id")));
    }

    @Test
    void failedAlterDuringRegisterIsRetriedAndCompletes() {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair initial = RsaKeys.generate(2048);
        stack.snowflake().account(ACCOUNT).user(user).role("LOADER").rsaPublicKey(initial.getPublic());
        String id = createConnection(connectionBody("e2e-alter-" + user, user, initial.getPrivate(), adminConnectionId));
        stack.snowflake().failNextAlter("000603");
        JsonPath run = rotateAndWait(id, null);
        assertThat(run.getString("state")).isEqualTo("DONE");
        // The ALTER failed once (Snowflake error -> connection-service 5xx) and was retried: by the
        // client's retry on the idempotent PUT, or by the engine's backoff if that failed too.
        assertThat(stack.snowflake().statements()).anyMatch(s -> !s.succeeded() && "000603".equals(s.errorCode())
                && s.sql().toUpperCase().contains(user));
        assertThat(stack.snowflake().statements()).anyMatch(s -> s.succeeded() && s.sql().toUpperCase().contains(user)
                && s.sql().toUpperCase().contains("SET RSA_PUBLIC_KEY_2"));
        assertRotated(id, user, Fingerprints.spkiSha256(initial.getPublic()), run.getString("newFingerprint"), 2);
    }

    @Test
    void sealedVaultDuringGenerateTouchesNothingAndRetries() throws Exception {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair initial = RsaKeys.generate(2048);
        stack.snowflake().account(ACCOUNT).user(user).role("LOADER").rsaPublicKey(initial.getPublic());
        String id = createConnection(connectionBody("e2e-vault-" + user, user, initial.getPrivate(), adminConnectionId));
        // A policy gives the run room for more attempts than the default.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("connectionId", id, "schedule", "P90D", "maxAttempts", 30)).when()
                .post("/api/v1/rotation-policies").then().statusCode(201);
        stack.rotationVault().setSealed(true);
        String runId = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/connections/" + id + "/rotations").then().statusCode(202).extract().path("id");
        JsonPath retrying = null;
        for (int i = 0; i < 100; i++) {
            retrying = getRun(runId);
            if (retrying.getInt("attempts") >= 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(retrying.getString("state")).isEqualTo("GENERATE");
        assertThat(retrying.getString("lastError.type")).isEqualTo("urn:keyline:problem:vault-unavailable");
        KeySlots slots = stack.snowflake().keySlots(ACCOUNT, user);
        assertThat(slots.fingerprint(2)).as("nothing touched in Snowflake").isNull();
        assertThat(slots.fingerprint(1)).isEqualTo(Fingerprints.spkiSha256(initial.getPublic()));
        assertThat(stack.snowflake().statements("ALTER USER " + user)).isEmpty();
        stack.rotationVault().setSealed(false);
        JsonPath done = waitForEnd(runId);
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertRotated(id, user, Fingerprints.spkiSha256(initial.getPublic()), done.getString("newFingerprint"), 2);
    }

    @Test
    void secondRunForTheSameUserIsRefusedWhileOneIsActive() {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair initial = RsaKeys.generate(2048);
        stack.snowflake().account(ACCOUNT).user(user).role("LOADER").rsaPublicKey(initial.getPublic());
        String id = createConnection(connectionBody("e2e-409-" + user, user, initial.getPrivate(), adminConnectionId));
        stack.rotationVault().setSealed(true); // keeps the first run active
        try {
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + id + "/rotations").then().statusCode(202)
                    .header("Location", org.hamcrest.Matchers.containsString("/api/v1/rotations/"));
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + id + "/rotations").then().statusCode(409)
                    .contentType("application/problem+json").body("type",
                            org.hamcrest.Matchers.is("urn:keyline:problem:rotation-active"));
        } finally {
            stack.rotationVault().setSealed(false);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void assertRotated(String id, String user, String oldFp, String newFp, int newSlot) {
        KeySlots slots = stack.snowflake().keySlots(ACCOUNT, user);
        assertThat(slots.fingerprint(newSlot)).isEqualTo(newFp);
        assertThat(slots.fingerprint(3 - newSlot)).as("old key unset: the emulator refuses it").isNull();
        assertThat(slots.slotOf(oldFp)).isZero();
        JsonPath test = given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER).when()
                .post("/api/v1/connections/" + id + "/test").then().statusCode(200).extract().jsonPath();
        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.getString("keyFingerprint")).isEqualTo(newFp);
        JsonPath keySlots = given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER).when()
                .get("/api/v1/connections/" + id + "/key-slots").then().statusCode(200).extract().jsonPath();
        assertThat(keySlots.getString("storedKeyFingerprint")).isEqualTo(newFp);
    }

    private JsonPath rotateAndWait(String id, Boolean adopt) {
        String runId = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(adopt == null ? "{}" : "{\"adopt\":" + adopt + "}").when()
                .post("/api/v1/connections/" + id + "/rotations").then().statusCode(202).extract().path("id");
        return waitForEnd(runId);
    }

    private JsonPath waitForEnd(String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = getRun(runId);
            String state = run.getString("state");
            if (state.equals("DONE") || state.equals("ROLLED_BACK") || state.equals("NEEDS_ATTENTION")) {
                return run;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("run " + runId + " did not finish: " + getRun(runId).prettify());
    }

    private JsonPath getRun(String runId) {
        return given().header("Authorization", MANAGER).when().get("/api/v1/rotations/" + runId).then().statusCode(200)
                .extract().jsonPath();
    }

    private String createConnection(Map<String, Object> body) {
        return given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/connections").then().statusCode(201)
                .extract().path("id");
    }

    private Map<String, Object> connectionBody(String name, String user, PrivateKey key, String keyAdminConnectionId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("account", ACCOUNT.toLowerCase());
        details.put("host", stack.snowflake().url());
        details.put("user", user);
        details.put("role", "LOADER");
        details.put("warehouse", "COMPUTE_WH");
        details.put("authType", "key-pair");
        details.put("privateKey", SecretLeakGuard.secret("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n"));
        if (keyAdminConnectionId != null) {
            details.put("keyAdminConnectionId", keyAdminConnectionId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("description", "rotation e2e");
        body.put("timeoutSecs", 20);
        body.put("details", details);
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> body) {
        return (Map<String, Object>) body.get("details");
    }
}
