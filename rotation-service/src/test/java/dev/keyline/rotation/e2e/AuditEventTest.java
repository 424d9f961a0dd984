package dev.keyline.rotation.e2e;

import static dev.keyline.rotation.e2e.E2e.MANAGER;
import static dev.keyline.rotation.e2e.E2e.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * GET /api/v1/audit-events: every run start (requester or "scheduler"), every step transition of
 * consequence with its fingerprints, the run's end (DONE / NEEDS_ATTENTION with the problem type)
 * and every policy change; readable with rotations:read only.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class AuditEventTest extends OnRotationStack {

    @Inject
    DataSource dataSource;

    @Test
    void aRotationLeavesItsStartEveryConsequentialStepAndItsEndInTheAuditTrail() {
        E2e.Svc svc = e2e.newConnection("audit");
        JsonPath run = e2e.rotateAndWait(svc.id());
        assertThat(run.getString("state")).isEqualTo("DONE");
        String runId = run.getString("id");
        String oldFp = svc.initialFingerprint();
        String newFp = run.getString("newFingerprint");

        List<Map<String, Object>> events = events(READER, runId);
        // newest first
        assertThat(events).extracting(e -> e.get("action")).containsExactly("rotation.done", "rotation.key-retired",
                "rotation.credentials-swapped", "rotation.key-registered", "rotation.started");
        Map<String, Object> started = events.get(4);
        assertThat(started.get("actor")).isEqualTo("carol");
        assertThat(started.get("resourceType")).isEqualTo("rotation");
        assertThat((String) started.get("detail")).contains("connection " + svc.id());
        assertThat(events.get(3)).containsEntry("fingerprints", newFp).containsEntry("actor", "rotation-service");
        assertThat((String) events.get(3).get("detail")).contains("slot 2");
        assertThat(events.get(2)).containsEntry("fingerprints", oldFp + " -> " + newFp);
        assertThat(events.get(1)).containsEntry("fingerprints", oldFp);
        assertThat((String) events.get(1).get("detail")).contains("slot 1");
        assertThat(events.get(0)).containsEntry("fingerprints", oldFp + " -> " + newFp).containsEntry("outcome", "SUCCESS");
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain("PRIVATE KEY"));
    }

    @Test
    void needsAttentionIsAuditedWithTheProblemTypeAndARefusedStartAsDenied() {
        E2e.Svc svc = e2e.newConnection("audit-attention");
        // Slot 2 holds a key this system did not register: PLAN stops without adopt.
        stack.snowflake().setKeySlot(E2e.ACCOUNT, svc.user(), 2, dev.keyline.keys.RsaKeys.generate(2048).getPublic());
        JsonPath run = e2e.waitForEnd(e2e.start(svc.id(), false), Duration.ofSeconds(60));
        assertThat(run.getString("state")).isEqualTo("NEEDS_ATTENTION");
        List<Map<String, Object>> events = events(READER, run.getString("id"));
        assertThat(events).extracting(e -> e.get("action")).containsExactly("rotation.needs-attention", "rotation.started");
        assertThat(events.get(0)).containsEntry("outcome", "FAILED");
        assertThat((String) events.get(0).get("detail")).contains("urn:keyline:problem:unknown-key-in-slot");

        // A start refused with 409 is recorded as DENIED.
        stack.rotationVault().setSealed(true); // keeps the next run active (GENERATE retries)
        try {
            e2e.start(svc.id(), true);
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{}").when()
                    .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(409);
        } finally {
            stack.rotationVault().setSealed(false);
        }
        List<Map<String, Object>> denied = given().header("Authorization", READER)
                .queryParam("action", "rotation.started").queryParam("outcome", "DENIED").when()
                .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(denied).anySatisfy(e -> assertThat((String) e.get("detail")).contains("connection " + svc.id()));
    }

    @Test
    void policyChangesAndScheduledStartsAreAudited() throws Exception {
        E2e.Svc svc = e2e.newConnection("audit-policy");
        String policyId = e2e.createPolicy(svc.id(), Map.of("maxAttempts", 7));
        Map<String, Object> change = Map.of("schedule", "P30D", "maxAttempts", 8, "gracePeriod", "PT0S");
        // Without If-Match a PUT could silently undo someone else's change: 428, nothing changes.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(change).when()
                .put("/api/v1/rotation-policies/" + policyId).then().statusCode(428)
                .contentType("application/problem+json").body("type", is("urn:keyline:problem:precondition-required"));
        String etag = given().header("Authorization", READER).when().get("/api/v1/rotation-policies/" + policyId)
                .then().statusCode(200).body("maxAttempts", is(7)).extract().header("ETag");
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON).body(change)
                .when().put("/api/v1/rotation-policies/" + policyId).then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(etag));
        // The version read before that change is stale now.
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                .body(Map.of("schedule", "P7D")).when().put("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(412).body("type", is("urn:keyline:problem:stale-version"));

        // Make the policy due now: the scheduler starts the run.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update rotation_policy set next_due_at = now() - interval '1 second' where id = ?")) {
            ps.setObject(1, UUID.fromString(policyId));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        String runId = null;
        for (int i = 0; i < 100 && runId == null; i++) {
            List<String> ids = given().header("Authorization", READER).when()
                    .get("/api/v1/rotations?connectionId=" + svc.id()).then().statusCode(200).extract().jsonPath()
                    .getList("items.id");
            runId = ids.isEmpty() ? null : ids.get(0);
            E2e.sleep(200);
        }
        assertThat(runId).as("the scheduler created a run").isNotNull();
        assertThat(e2e.waitForEnd(runId, Duration.ofSeconds(90)).getString("state")).isEqualTo("DONE");
        Map<String, Object> started = events(READER, runId).getLast();
        assertThat(started).containsEntry("action", "rotation.started").containsEntry("actor", "scheduler");
        assertThat((String) started.get("detail")).contains("policy " + policyId);

        given().header("Authorization", MANAGER).when().delete("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(204);
        List<Map<String, Object>> policyEvents = events(READER, policyId);
        assertThat(policyEvents).extracting(e -> e.get("action")).containsExactly("rotation-policy.deleted",
                "rotation-policy.updated", "rotation-policy.created");
        assertThat(policyEvents).allSatisfy(e -> assertThat(e).containsEntry("actor", "carol"));
        assertThat((String) policyEvents.get(1).get("detail")).contains("schedule P30D", "maxAttempts 8");
    }

    @Test
    void theAuditTrailNeedsARotationsPermission() {
        given().when().get("/api/v1/audit-events").then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("mallory", "connections:manage")).when()
                .get("/api/v1/audit-events").then().statusCode(403);
        given().header("Authorization", READER).queryParam("size", 0).when().get("/api/v1/audit-events").then()
                .statusCode(400);
    }

    private static List<Map<String, Object>> events(String token, String resourceId) {
        return given().header("Authorization", token).queryParam("resourceId", resourceId).when()
                .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
