package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.keys.RsaKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue #12 item 5 against the real services: a NEEDS_ATTENTION run retried (it resumes in the step
 * it stopped in, audited with the reason) or closed (CLOSED, Snowflake untouched, the gauge and the
 * readiness detail cleared); the paged, filtered lists; a policy whose connection was deleted is
 * disabled with a visible reason and starts no run.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class RunOperationsTest extends OnRotationStack {

    /** May manage rotations, but not the connections they would rotate. */
    static final String ROTATIONS_ONLY = TestTokens.mint("mallory", "rotations:manage", "connections:read")
            .audience("rotation-service", "connection-service").bearer();

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** A run refused in PLAN: slot 2 holds a key this system did not register. */
    private String stuckRun(E2e.Svc svc) {
        stack.snowflake().setKeySlot(E2e.ACCOUNT, svc.user(), 2, RsaKeys.generate(2048).getPublic());
        JsonPath run = e2e.waitForEnd(e2e.start(svc.id(), false), Duration.ofSeconds(60));
        assertThat(run.getString("state")).isEqualTo("NEEDS_ATTENTION");
        assertThat(run.getString("stoppedIn")).isEqualTo("PLAN");
        return run.getString("id");
    }

    private io.restassured.response.ValidatableResponse decide(String token, String runId, String verb, Object body) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON);
        if (body != null) {
            request.body(body);
        }
        return request.when().post("/api/v1/rotations/" + runId + "/" + verb).then();
    }

    @Test
    void retryNeedsAReasonAndTheConnectionThenResumesWhereTheRunStoppedAndIsAudited() {
        E2e.Svc svc = e2e.newConnection("ops-retry");
        String runId = stuckRun(svc);
        awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + svc.id() + "\"} 1.0");

        for (String verb : List.of("retry", "close")) {
            decide(E2e.MANAGER, runId, verb, "{}").statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", is("reason"));
            decide(E2e.MANAGER, runId, verb, Map.of("reason", "  \t ")).statusCode(400).body("errors[0].field", is("reason"));
            decide(E2e.MANAGER, runId, verb, Map.of("reason", "x".repeat(501))).statusCode(400)
                    .body("errors[0].field", is("reason"));
            decide(E2e.MANAGER, runId, verb, Map.of("reason", "ok", "force", true)).statusCode(400);
            // Red-team finding: a NUL was a 500 at the step log's insert; an escape sequence reached the audit trail.
            for (String control : List.of("a\0b", "\033[31mred")) {
                decide(E2e.MANAGER, runId, verb, Map.of("reason", control)).statusCode(400)
                        .contentType("application/problem+json").body("errors[0].field", is("reason"));
            }
            decide(E2e.READER, runId, verb, Map.of("reason", "a reader")).statusCode(403);
            decide(ROTATIONS_ONLY, runId, verb, Map.of("reason", "not my connection")).statusCode(403)
                    .body("type", is("urn:keyline:problem:connection-not-manageable"));
        }
        decide(E2e.MANAGER, java.util.UUID.randomUUID().toString(), "retry", Map.of("reason", "who?")).statusCode(404);
        assertThat(e2e.run(runId).getString("state")).as("nothing changed by the refusals").isEqualTo("NEEDS_ATTENTION");

        // The operator removes the foreign key, then retries: PLAN runs again and the rotation completes.
        stack.snowflake().unsetKeySlot(E2e.ACCOUNT, svc.user(), 2);
        decide(E2e.MANAGER, runId, "retry", Map.of("reason", "  foreign key removed by the DBA  ")).statusCode(200)
                .body("id", is(runId)).body("steps.outcome", hasItem("RETRIED"));
        JsonPath done = e2e.waitForEnd(runId, Duration.ofSeconds(90));
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertThat(done.getList("steps.step")).containsSubsequence("PLAN", "NEEDS_ATTENTION", "PLAN", "GENERATE",
                "REGISTER", "VERIFY", "SWAP", "DRAIN", "RETIRE", "DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), done.getString("newFingerprint"), 2);

        List<Map<String, Object>> retried = given().header("Authorization", E2e.READER).queryParam("resourceId", runId)
                .queryParam("action", "rotation.retried").queryParam("outcome", "SUCCESS").when().get("/api/v1/audit-events").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(retried).hasSize(1);
        assertThat(retried.get(0)).containsEntry("actor", "carol").containsEntry("outcome", "SUCCESS");
        assertThat((String) retried.get(0).get("detail")).contains("resumed in PLAN")
                .contains("reason: foreign key removed by the DBA");
        List<Map<String, Object>> denied = given().header("Authorization", E2e.READER).queryParam("resourceId", runId)
                .queryParam("actor", "mallory").when().get("/api/v1/audit-events").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertThat(denied).extracting(e -> e.get("outcome")).containsOnly("DENIED");
        assertThat(denied).extracting(e -> e.get("action")).contains("rotation.retried", "rotation.closed");

        // Only NEEDS_ATTENTION runs: a DONE one is a conflict.
        decide(E2e.MANAGER, runId, "retry", Map.of("reason", "again")).statusCode(409)
                .body("type", is("urn:keyline:problem:run-not-needs-attention"));
        decide(E2e.MANAGER, runId, "close", Map.of("reason", "again")).statusCode(409);
        awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + svc.id() + "\"} 0.0");
    }

    @Test
    void closeEndsTheRunWithoutTouchingSnowflakeAndClearsGaugeAndHealth() {
        E2e.Svc svc = e2e.newConnection("ops-close");
        String runId = stuckRun(svc);
        awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + svc.id() + "\"} 1.0");
        assertThat(readinessData()).containsKey("run." + runId);
        KeySlots before = stack.snowflake().keySlots(E2e.ACCOUNT, svc.user());
        int statements = stack.snowflake().statements(svc.user()).size();

        decide(E2e.MANAGER, runId, "close", Map.of("reason", "slot 2 belongs to the BI team's tool")).statusCode(200)
                .body("state", is("CLOSED")).body("closedReason", is("slot 2 belongs to the BI team's tool"))
                .body("stoppedIn", is("PLAN"));
        KeySlots after = stack.snowflake().keySlots(E2e.ACCOUNT, svc.user());
        assertThat(after.fingerprint(1)).isEqualTo(before.fingerprint(1));
        assertThat(after.fingerprint(2)).isEqualTo(before.fingerprint(2));
        assertThat(stack.snowflake().statements(svc.user())).as("closing sends Snowflake nothing").hasSize(statements);
        assertThat(readinessData()).doesNotContainKey("run." + runId);
        awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + svc.id() + "\"} 0.0");
        given().header("Authorization", E2e.READER).queryParam("resourceId", runId).queryParam("action", "rotation.closed")
                .when().get("/api/v1/audit-events").then().statusCode(200).body("size()", is(1))
                .body("[0].actor", is("carol")).body("[0].detail", containsString("slot 2 belongs to the BI team's tool"));
        decide(E2e.MANAGER, runId, "retry", Map.of("reason", "changed my mind")).statusCode(409);

        // CLOSED is terminal: the user may rotate again (and the foreign key stops it again).
        String next = e2e.start(svc.id(), false);
        assertThat(e2e.waitForEnd(next, Duration.ofSeconds(60)).getString("state")).isEqualTo("NEEDS_ATTENTION");
    }

    @Test
    void runsAndPoliciesArePagedAndFiltered() {
        E2e.Svc svc = e2e.newConnection("ops-list");
        String stuck = stuckRun(svc);
        decide(E2e.MANAGER, stuck, "close", Map.of("reason", "listing test")).statusCode(200);
        stack.snowflake().unsetKeySlot(E2e.ACCOUNT, svc.user(), 2);
        JsonPath done = e2e.rotateAndWait(svc.id());
        assertThat(done.getString("state")).isEqualTo("DONE");

        JsonPath all = list("/api/v1/rotations", Map.of("connectionId", svc.id()));
        assertThat(all.getInt("total")).isEqualTo(2);
        assertThat(all.getInt("page")).isZero();
        assertThat(all.getInt("size")).isEqualTo(50);
        assertThat(all.getList("items.id")).containsExactly(done.getString("id"), stuck);
        assertThat(all.getList("items.steps")).as("lists leave the step log out").containsOnlyNulls();

        JsonPath first = list("/api/v1/rotations", Map.of("connectionId", svc.id(), "size", 1, "page", 0));
        JsonPath second = list("/api/v1/rotations", Map.of("connectionId", svc.id(), "size", 1, "page", 1));
        assertThat(first.getList("items.id")).containsExactly(done.getString("id"));
        assertThat(second.getList("items.id")).containsExactly(stuck);
        assertThat(second.getInt("total")).isEqualTo(2);
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "size", 1, "page", 2)).getList("items"))
                .isEmpty();

        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "state", "CLOSED")).getList("items.id"))
                .containsExactly(stuck);
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "state", "done")).getList("items.id"))
                .containsExactly(done.getString("id"));
        String doneCreated = done.getString("createdAt");
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "since", doneCreated))
                .getList("items.id")).containsExactly(done.getString("id"));
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "until", doneCreated))
                .getList("items.id")).containsExactly(stuck);
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id(), "since",
                Instant.parse(doneCreated).plusSeconds(3600).toString())).getInt("total")).isZero();
        given().header("Authorization", E2e.READER).queryParam("state", "HALF_DONE").when().get("/api/v1/rotations")
                .then().statusCode(400).body("errors[0].field", is("state"));
        given().header("Authorization", E2e.READER).queryParam("since", "yesterday").when().get("/api/v1/rotations")
                .then().statusCode(400).body("errors[0].field", is("since"));

        String policyId = e2e.createPolicy(svc.id(), Map.of("enabled", false));
        JsonPath policies = list("/api/v1/rotation-policies", Map.of("connectionId", svc.id()));
        assertThat(policies.getInt("total")).isEqualTo(1);
        assertThat(policies.getList("items.id")).containsExactly(policyId);
        assertThat(list("/api/v1/rotation-policies", Map.of("connectionId", svc.id(), "enabled", false))
                .getList("items.id")).containsExactly(policyId);
        assertThat(list("/api/v1/rotation-policies", Map.of("connectionId", svc.id(), "enabled", true)).getInt("total"))
                .isZero();
    }

    @Test
    void aPolicyWhoseConnectionWasDeletedIsDisabledWithAReasonAndStartsNoRun() {
        E2e.Svc svc = e2e.newConnection("ops-deleted");
        String policyId = e2e.createPolicy(svc.id(), Map.of("schedule", E2e.onceAt(Instant.now().plusSeconds(4))));
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", E2e.CS_MANAGER).when()
                .delete("/api/v1/connections/" + svc.id()).then().statusCode(204);

        JsonPath policy = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            policy = given().header("Authorization", E2e.READER).when().get("/api/v1/rotation-policies/" + policyId)
                    .then().statusCode(200).extract().jsonPath();
            if (!policy.getBoolean("enabled")) {
                break;
            }
            E2e.sleep(200);
        }
        assertThat(policy.getBoolean("enabled")).isFalse();
        assertThat(policy.getString("disabledReason")).isEqualTo("connection deleted");
        E2e.sleep(2000); // a few more scheduler rounds: still no run
        assertThat(list("/api/v1/rotations", Map.of("connectionId", svc.id())).getInt("total")).isZero();
        given().header("Authorization", E2e.READER).queryParam("resourceId", policyId)
                .queryParam("action", "rotation-policy.disabled").when().get("/api/v1/audit-events").then()
                .statusCode(200).body("size()", is(1)).body("[0].actor", is("rotation-service"))
                .body("[0].detail", containsString("connection deleted"));
        assertThat(list("/api/v1/rotation-policies", Map.of("connectionId", svc.id(), "enabled", false))
                .getList("items.disabledReason")).containsExactly("connection deleted");
        // Deleting a policy asks connection-service whether the caller manages the connection; gone, it may go too.
        given().header("Authorization", E2e.MANAGER).when().delete("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(204);
        given().header("Authorization", E2e.READER).when().get("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(404);
    }

    private static JsonPath list(String path, Map<String, ?> query) {
        return given().header("Authorization", E2e.READER).queryParams(query).when().get(path).then().statusCode(200)
                .extract().jsonPath();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readinessData() {
        List<Map<String, Object>> checks = given().when().get(ready).then().statusCode(200).extract().jsonPath()
                .getList("checks");
        return (Map<String, Object>) checks.stream().filter(c -> c.get("name").equals("rotations")).findFirst()
                .orElseThrow().get("data");
    }

    private void awaitScrape(String expected) {
        String scrape = "";
        for (int i = 0; i < 50; i++) {
            scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            if (scrape.contains(expected)) {
                return;
            }
            E2e.sleep(200);
        }
        assertThat(scrape).contains(expected);
    }
}
