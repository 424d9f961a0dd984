package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.RsaKeys;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.persistence.JdbcRunStore;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Shared set-up of the tests on {@link RotationStack}: a key-admin connection, Snowflake users with one
 * registered key, connections in connection-service, starting runs and waiting for their end, and
 * the invariant check after a run.
 */
final class E2e {

    static final String ACCOUNT = "ACME";
    /** Manages rotations AND the connections they rotate: connection-service checks the latter with her token. */
    /** rotation-service forwards it to connection-service, so it is issued for both (like Keycloak's keyline-cli tokens). */
    static final String MANAGER = TestTokens.mint("carol", "rotations:manage", "connections:manage")
            .audience("rotation-service", "connection-service").bearer();
    static final String READER = TestTokens.bearer("rita", "rotations:read");
    static final String CS_MANAGER = TestTokens.mint("carol", "connections:manage", "connections:use")
            .audience("connection-service").bearer();
    static final KeyPair ADMIN_KEY = RsaKeys.generate(2048);
    /** The key-admin connection per connection-service (each IT class may start a stack of its own). */
    private static final Map<String, String> ADMIN_CONNECTION_IDS = new java.util.HashMap<>();
    private final String adminConnectionId;

    /** A Snowflake user with one key (slot 1) and its key-pair connection. */
    record Svc(String id, String user, KeyPair initial) {
        String initialFingerprint() {
            return Fingerprints.spkiSha256(initial.getPublic());
        }
    }

    private final RotationStack.Handles stack;

    E2e(RotationStack.Handles stack) {
        this.stack = stack;
        SecretLeakGuard.install();
        stack.snowflake().clearFaults();
        stack.snowflake().setLatency(Duration.ZERO);
        stack.rotationVault().clearFaults();
        stack.connectionVault().clearFaults();
        if (!stack.connectionService().alive()) {
            stack.connectionService().restart(); // a failed test may have left it killed
        }
        SnowflakeAccount acme = stack.snowflake().account(ACCOUNT);
        acme.role("LOADER");
        acme.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
        synchronized (E2e.class) {
            String id = ADMIN_CONNECTION_IDS.get(stack.connectionServiceUrl());
            if (id == null) {
                acme.user("E2E_ROTATOR").role("KEY_ADMIN").rsaPublicKey(ADMIN_KEY.getPublic());
                Map<String, Object> body = connectionBody("e2e-admin-shared", "e2e_rotator", ADMIN_KEY.getPrivate(), null);
                details(body).put("role", "KEY_ADMIN");
                // A key-admin changes the keys of the users it declares only: the tests' SVC_* users.
                details(body).put("managesUsers", java.util.List.of("SVC_*"));
                id = createConnection(body);
                ADMIN_CONNECTION_IDS.put(stack.connectionServiceUrl(), id);
            }
            adminConnectionId = id;
        }
    }

    Svc newConnection(String prefix) {
        return newConnection(prefix, 20);
    }

    /** As {@link #newConnection(String)}, with the connection's own deadline for a Snowflake attempt (its logins). */
    Svc newConnection(String prefix, int timeoutSecs) {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair initial = RsaKeys.generate(2048);
        stack.snowflake().account(ACCOUNT).user(user).role("LOADER").rsaPublicKey(initial.getPublic());
        Map<String, Object> body = connectionBody(prefix + "-" + user, user, initial.getPrivate(), adminConnectionId);
        body.put("timeoutSecs", timeoutSecs);
        String id = createConnection(body);
        return new Svc(id, user, initial);
    }

    /** Another connection of {@code svc}'s Snowflake user storing the same key, logging in with {@code role}. */
    String shareKey(Svc svc, String prefix, String role) {
        Map<String, Object> body = connectionBody(prefix + "-" + svc.user(), svc.user(), svc.initial().getPrivate(),
                adminConnectionId);
        details(body).put("role", role);
        return createConnection(body);
    }

    String createPolicy(String connectionId, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connectionId", connectionId);
        body.put("schedule", "P90D");
        body.putAll(extra);
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body).when()
                .post("/api/v1/rotation-policies").then().statusCode(201).extract().path("id");
    }

    String start(String connectionId, boolean adopt) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body("{\"adopt\":" + adopt + "}").when().post("/api/v1/connections/" + connectionId + "/rotations")
                .then().statusCode(202).extract().path("id");
    }

    /** A Quartz cron that fires once, at {@code at} (UTC, the schedule's zone without a window). */
    static String onceAt(java.time.Instant at) {
        java.time.ZonedDateTime t = at.atZone(java.time.ZoneOffset.UTC);
        return t.getSecond() + " " + t.getMinute() + " " + t.getHour() + " " + t.getDayOfMonth() + " " + t.getMonthValue()
                + " ? " + t.getYear();
    }

    JsonPath rotateAndWait(String connectionId) {
        return waitForEnd(start(connectionId, false), Duration.ofSeconds(90));
    }

    JsonPath waitForEnd(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(runId);
            String state = run.getString("state");
            if (state.equals("DONE") || state.equals("ROLLED_BACK") || state.equals("NEEDS_ATTENTION")) {
                return run;
            }
            sleep(200);
        }
        throw new AssertionError("run " + runId + " did not finish: " + run(runId).prettify());
    }

    JsonPath run(String runId) {
        return given().header("Authorization", MANAGER).when().get("/api/v1/rotations/" + runId).then().statusCode(200)
                .extract().jsonPath();
    }

    /** Waits until the run's persisted state is {@code state}; fails if it ends before. */
    void awaitState(String runId, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(runId);
            if (run.getString("state").equals(state)) {
                return;
            }
            if (run.getString("finishedAt") != null) {
                throw new AssertionError("run ended before " + state + ": " + run.prettify());
            }
            sleep(50);
        }
        throw new AssertionError("run " + runId + " never reached " + state + ": " + run(runId).prettify());
    }

    /** Waits until the run's step log has {@code step} with {@code outcome} (RETRY, FAILED, OK). */
    JsonPath awaitStepOutcome(String runId, String step, String outcome, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(runId);
            if (hasStepOutcome(run, step, outcome)) {
                return run;
            }
            sleep(100);
        }
        throw new AssertionError("run " + runId + " logged no " + outcome + " in " + step + ": " + run(runId).prettify());
    }

    static boolean hasStepOutcome(JsonPath run, String step, String outcome) {
        java.util.List<String> steps = run.getList("steps.step", String.class);
        java.util.List<String> outcomes = run.getList("steps.outcome", String.class);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).equals(step) && outcomes.get(i).equals(outcome)) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a rollback: the initial key is still the only registered key and still the stored one,
     * and it logs in; the other slot holds nothing (no orphan of the abandoned new key).
     */
    void assertRolledBack(Svc svc, String abandonedFp) {
        KeySlots slots = stack.snowflake().keySlots(ACCOUNT, svc.user());
        assertThat(slots.fingerprint(1)).isEqualTo(svc.initialFingerprint());
        assertThat(slots.fingerprint(2)).as("the new key was unset again").isNull();
        assertThat(slots.slotOf(abandonedFp)).isZero();
        JsonPath test = given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER).when()
                .post("/api/v1/connections/" + svc.id() + "/test").then().statusCode(200).extract().jsonPath();
        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.getString("keyFingerprint")).isEqualTo(svc.initialFingerprint());
    }

    /**
     * After a finished rotation: the new key is in its slot, the other slot is empty (no orphan),
     * the stored key logs in through connection-service's /test and is the new one; when the old key
     * is the initial one (whose private half this test holds), a login with it is refused.
     */
    void assertRotated(Svc svc, String oldFp, String newFp, int newSlot) {
        KeySlots slots = stack.snowflake().keySlots(ACCOUNT, svc.user());
        assertThat(slots.fingerprint(newSlot)).isEqualTo(newFp);
        assertThat(slots.fingerprint(3 - newSlot)).as("no orphan key; the old key is unset").isNull();
        assertThat(slots.slotOf(oldFp)).isZero();
        JsonPath test = given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER).when()
                .post("/api/v1/connections/" + svc.id() + "/test").then().statusCode(200).extract().jsonPath();
        assertThat(test.getBoolean("ok")).isTrue();
        assertThat(test.getString("keyFingerprint")).isEqualTo(newFp);
        JsonPath keySlots = given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER).when()
                .get("/api/v1/connections/" + svc.id() + "/key-slots").then().statusCode(200).extract().jsonPath();
        assertThat(keySlots.getString("storedKeyFingerprint")).isEqualTo(newFp);
        if (oldFp.equals(svc.initialFingerprint())) {
            assertRefused(svc, svc.initial().getPrivate(), keySlots.getInt("credentialVersion"));
        }
    }

    /**
     * A real login with {@code key}, made by connection-service's driver: storing it as the
     * connection's key logs in with it first, and Snowflake (the emulator) refuses it, so nothing is
     * stored.
     */
    void assertRefused(Svc svc, PrivateKey key, int credentialVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("privateKey", SecretLeakGuard.secret(pkcs8Pem(key)));
        body.put("expectedCredentialVersion", credentialVersion);
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER)
                .header("If-Match", "\"" + credentialVersion + "\"").contentType(ContentType.JSON)
                .body(body).when().put("/api/v1/connections/" + svc.id() + "/credentials").then().statusCode(422)
                .body("type", org.hamcrest.Matchers.is("urn:keyline:problem:credential-login-failed"))
                .body("detail", org.hamcrest.Matchers.containsString("390144"));
    }

    static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    String createConnection(Map<String, Object> body) {
        return given().baseUri(stack.connectionServiceUrl()).header("Authorization", CS_MANAGER)
                .contentType(ContentType.JSON).body(body).when().post("/api/v1/connections").then()
                .log().ifValidationFails(io.restassured.filter.log.LogDetail.BODY).statusCode(201)
                .extract().path("id");
    }

    Map<String, Object> connectionBody(String name, String user, PrivateKey key, String keyAdminConnectionId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("account", ACCOUNT.toLowerCase());
        details.put("host", stack.snowflake().url());
        details.put("user", user);
        details.put("role", "LOADER");
        details.put("warehouse", "COMPUTE_WH");
        details.put("authType", "key-pair");
        details.put("privateKey", SecretLeakGuard.secret(pkcs8Pem(key)));
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
    static Map<String, Object> details(Map<String, Object> body) {
        return (Map<String, Object>) body.get("details");
    }

    /**
     * A run of {@code svc} inserted through {@code store} (another replica's, leasing for {@code lease})
     * already leased by {@code owner}, so this app's worker leaves it to the test's own engine.
     */
    static RotationRun insertLeasedRun(JdbcRunStore store, Svc svc, ConnectionInfo info, String owner,
            Duration lease, String createdBy) {
        store.leaseDuration(lease);
        RotationRun run = RotationRun.create(UUID.fromString(svc.id()), info.account().toLowerCase(Locale.ROOT),
                info.user().toLowerCase(Locale.ROOT), Instant.now());
        run.createdBy = createdBy;
        run.leaseOwner = owner;
        run.leaseUntil = Instant.now().plus(lease);
        store.insert(run);
        return run;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
