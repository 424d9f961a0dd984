package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import dev.keyline.emulators.snowflake.KeySlots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * All three parts for real: rotation-service (this app), connection-service (child process), the
 * Snowflake emulator (driven by the real JDBC driver inside connection-service), Vault emulators
 * and PostgreSQL. After every rotation: the old key is gone from the user's slots (the emulator
 * refuses it), the stored key logs in ({@code /test}) and matches a registered slot. Faults at each
 * step are in {@link FaultAtEveryStepTest}.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class RotationEndToEndTest extends OnRotationStack {

    @Test
    void rotatesTwiceSlotOneTwoOne() {
        E2e.Svc svc = e2e.newConnection("e2e-svc");

        JsonPath first = e2e.rotateAndWait(svc.id());
        assertThat(first.getString("state")).isEqualTo("DONE");
        assertThat(first.getInt("oldSlot")).isEqualTo(1);
        assertThat(first.getInt("slot")).isEqualTo(2);
        assertThat(first.getString("oldFingerprint")).isEqualTo(svc.initialFingerprint());
        // The names as the connection has them (upper-case user, lower-case account), not re-spelt.
        assertThat(first.getString("user")).isEqualTo(svc.user());
        assertThat(first.getString("account")).isEqualTo(E2e.ACCOUNT.toLowerCase());
        assertThat(first.getList("steps.step")).contains("PLAN", "GENERATE", "REGISTER", "VERIFY", "SWAP", "DRAIN",
                "RETIRE", "DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), first.getString("newFingerprint"), 2);
        assertOnlyKeyLogsIn(svc, first.getString("newFingerprint"));

        JsonPath second = e2e.rotateAndWait(svc.id());
        assertThat(second.getString("state")).isEqualTo("DONE");
        assertThat(second.getInt("slot")).isEqualTo(1);
        e2e.assertRotated(svc, first.getString("newFingerprint"), second.getString("newFingerprint"), 1);
        assertOnlyKeyLogsIn(svc, second.getString("newFingerprint"));

        given().header("Authorization", E2e.MANAGER).when().get("/api/v1/rotations?connectionId=" + svc.id()).then()
                .statusCode(200).body("items.size()", Matchers.is(2)).body("total", Matchers.is(2));
        assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(first.getString("id")));
    }

    @Test
    void sealedVaultDuringGenerateTouchesNothingAndRetries() {
        E2e.Svc svc = e2e.newConnection("e2e-vault");
        e2e.createPolicy(svc.id(), Map.of("maxAttempts", 30)); // room for more attempts than the default
        stack.rotationVault().setSealed(true);
        String runId;
        try {
            runId = e2e.start(svc.id(), false);
            JsonPath retrying = null;
            for (int i = 0; i < 100; i++) {
                retrying = e2e.run(runId);
                if (retrying.getInt("attempts") >= 2) {
                    break;
                }
                E2e.sleep(100);
            }
            assertThat(retrying.getString("state")).isEqualTo("GENERATE");
            assertThat(retrying.getString("lastError.type")).isEqualTo("urn:keyline:problem:vault-unavailable");
            KeySlots slots = stack.snowflake().keySlots(E2e.ACCOUNT, svc.user());
            assertThat(slots.fingerprint(2)).as("nothing touched in Snowflake").isNull();
            assertThat(slots.fingerprint(1)).isEqualTo(svc.initialFingerprint());
            assertThat(stack.snowflake().statements("ALTER USER " + svc.user())).isEmpty();
        } finally {
            stack.rotationVault().setSealed(false);
        }
        JsonPath done = e2e.waitForEnd(runId, Duration.ofSeconds(90));
        assertThat(done.getString("state")).isEqualTo("DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), done.getString("newFingerprint"), 2);
    }

    @Test
    void scheduledRotationThatRolledBackIsDueAgainSoonAndThenSucceeds() {
        E2e.Svc svc = e2e.newConnection("e2e-resched");
        stack.snowflake().failNextLoginOf(svc.user(), "390144"); // the first run's VERIFY: new key refused
        String policyId = e2e.createPolicy(svc.id(),
                Map.of("schedule", E2e.onceAt(Instant.now().plusSeconds(2)), "gracePeriod", "PT0S"));

        String firstId = awaitRun(svc.id(), 1).get(0);
        JsonPath first = e2e.waitForEnd(firstId, Duration.ofSeconds(90));
        assertThat(first.getString("state")).isEqualTo("ROLLED_BACK");
        assertThat(first.getString("trigger")).isEqualTo("schedule");
        JsonPath dueAgain = given().header("Authorization", E2e.READER).when()
                .get("/api/v1/rotation-policies/" + policyId).then().statusCode(200).extract().jsonPath();
        assertThat(dueAgain.getString("user")).isEqualTo(svc.user());
        // Read before the run list: if the second run did not exist then, it did not when the policy was read.
        if (awaitRun(svc.id(), 1).size() == 1) {
            assertThat(Instant.parse(dueAgain.getString("nextDueAt"))).as("due again after retry.after-rollback")
                    .isBeforeOrEqualTo(Instant.parse(first.getString("finishedAt")).plusSeconds(3));
        }
        e2e.assertRolledBack(svc, first.getString("newFingerprint"));

        // A one-shot schedule has no next time of its own: only the rollback brings it back
        // (%test: rotation-service.retry.after-rollback=3S).
        List<String> runs = awaitRun(svc.id(), 2);
        JsonPath second = e2e.waitForEnd(runs.get(0), Duration.ofSeconds(90));
        assertThat(second.getString("trigger")).isEqualTo("schedule");
        assertThat(Instant.parse(second.getString("createdAt"))).isAfter(Instant.parse(first.getString("finishedAt")));
        assertThat(second.getString("state")).isEqualTo("DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), second.getString("newFingerprint"), 2);
        JsonPath policy = given().header("Authorization", E2e.READER).when()
                .get("/api/v1/rotation-policies/" + policyId).then().statusCode(200).extract().jsonPath();
        assertThat(Duration.between(Instant.parse(policy.getString("lastRotatedAt")),
                Instant.parse(second.getString("finishedAt"))).abs()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void secondRunForTheSameUserIsRefusedWhileOneIsActive() {
        E2e.Svc svc = e2e.newConnection("e2e-409");
        stack.rotationVault().setSealed(true); // keeps the first run active
        try {
            given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(202)
                    .header("Location", Matchers.containsString("/api/v1/rotations/"));
            given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", Matchers.is("urn:keyline:problem:rotation-active"));
        } finally {
            stack.rotationVault().setSealed(false);
        }
    }

    @Test
    void aConnectionNamingTheAccountWithItsRegionIsTheSameUserForTheOneActiveRun() {
        E2e.Svc svc = e2e.newConnection("e2e-409-region");
        // The same user and key, the account written as a locator with its region: the login names it ACME too.
        Map<String, Object> body = e2e.connectionBody("e2e-409-region-b-" + svc.user(), svc.user(), svc.initial().getPrivate(),
                null);
        E2e.details(body).put("account", E2e.ACCOUNT.toLowerCase() + ".eu-central-1");
        String regional = e2e.createConnection(body);
        stack.rotationVault().setSealed(true); // keeps the first run active
        try {
            given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(202);
            given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + regional + "/rotations").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", Matchers.is("urn:keyline:problem:rotation-active"));
        } finally {
            stack.rotationVault().setSealed(false);
        }
    }

    /** The run ids of the connection, newest first, once there are {@code count}. */
    private List<String> awaitRun(String connectionId, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = given().header("Authorization", E2e.READER).when()
                    .get("/api/v1/rotations?connectionId=" + connectionId).then().statusCode(200).extract()
                    .jsonPath().getList("items.id", String.class);
            if (ids.size() >= count) {
                return ids;
            }
            E2e.sleep(200);
        }
        throw new AssertionError("connection " + connectionId + " has fewer than " + count + " runs");
    }

    /** The emulator refuses every key but the stored one: the retired key cannot log in any more. */
    /**
     * The connection's secret deleted from connection-service's Vault (by hand, or Vault restored from an
     * older backup) while its row still points at version 1: SWAP's check-and-set used to fail every time
     * (409 concurrent-change, the run rolled back). It writes the new key as a new secret now.
     */
    @Test
    void aConnectionWhoseKeyIsMissingFromVaultRotatesAndStoresTheNewKey() throws Exception {
        E2e.Svc svc = e2e.newConnection("e2e-gone");
        java.net.http.HttpResponse<String> deleted = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder()
                        .uri(java.net.URI.create(stack.connectionVault().url()
                                + "/v1/secret/metadata/keyline/connection-service/connections/" + svc.id()))
                        .header("X-Vault-Token", stack.connectionVault().token()).DELETE().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);

        JsonPath run = e2e.rotateAndWait(svc.id());
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("DONE");
        assertThat(run.getList("steps.step")).contains("SWAP", "RETIRE", "DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), run.getString("newFingerprint"), 2);
        assertThat(stack.connectionVault().versions("secret", "keyline/connection-service/connections/" + svc.id()))
                .containsOnlyKeys(1);
    }

    private void assertOnlyKeyLogsIn(E2e.Svc svc, String storedFp) {
        KeySlots slots = stack.snowflake().keySlots(E2e.ACCOUNT, svc.user());
        assertThat(slots.slotOf(storedFp)).isPositive();
        assertThat(slots.slotOf(svc.initialFingerprint())).isZero();
    }
}
