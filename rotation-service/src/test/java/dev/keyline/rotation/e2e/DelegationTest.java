package dev.keyline.rotation.e2e;

import static dev.keyline.rotation.e2e.E2e.MANAGER;
import static dev.keyline.rotation.e2e.E2e.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue #10, finding 3: {@code rotations:manage} alone used to rotate (and adopt a foreign key on)
 * any connection, because rotation-service asked connection-service with its own
 * {@code connections:manage} token. Now the person's own token must let them manage the connection
 * at connection-service, and the run's work goes under rotation-service's identity holding only
 * {@code connections:rotate} (RotationStack mints it so).
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class DelegationTest extends OnRotationStack {

    /** May manage rotations, but not the connections they would rotate. */
    static final String ROTATIONS_ONLY = TestTokens.mint("mallory", "rotations:manage", "connections:read",
            "connections:use").audience("rotation-service", "connection-service").bearer();

    @Test
    void rotationsManageAloneRotatesNothingAdoptsNothingAndSchedulesNothingNorUnschedules() {
        E2e.Svc svc = e2e.newConnection("deputy");
        for (String body : new String[] { "{\"adopt\":false}", "{\"adopt\":true}" }) {
            given().header("Authorization", ROTATIONS_ONLY).contentType(ContentType.JSON).body(body).when()
                    .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", is("urn:keyline:problem:connection-not-manageable"))
                    .body("detail", containsString("connections:manage"));
        }
        given().header("Authorization", ROTATIONS_ONLY).contentType(ContentType.JSON)
                .body(Map.of("connectionId", svc.id(), "schedule", "P90D")).when().post("/api/v1/rotation-policies")
                .then().statusCode(403).body("type", is("urn:keyline:problem:connection-not-manageable"));

        // Nor may they change (say, re-enable) a policy someone who manages the connection made.
        String policyId = e2e.createPolicy(svc.id(), Map.of("enabled", false));
        String etag = given().header("Authorization", READER).when().get("/api/v1/rotation-policies/" + policyId)
                .then().statusCode(200).extract().header("ETag");
        given().header("Authorization", ROTATIONS_ONLY).header("If-Match", etag).contentType(ContentType.JSON)
                .body(Map.of("schedule", "P30D", "enabled", true)).when().put("/api/v1/rotation-policies/" + policyId)
                .then().statusCode(403).body("type", is("urn:keyline:problem:connection-not-manageable"));
        given().header("Authorization", READER).when().get("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(200).body("enabled", is(false)).body("schedule", is("P90D"));
        // Nor delete it: that stops the connection's scheduled rotation, as disabling it with PUT would.
        given().header("Authorization", ROTATIONS_ONLY).when().delete("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", is("urn:keyline:problem:connection-not-manageable"));
        given().header("Authorization", READER).when().get("/api/v1/rotation-policies/" + policyId).then()
                .statusCode(200);
        given().header("Authorization", READER).queryParam("resourceId", policyId).queryParam("actor", "mallory")
                .when().get("/api/v1/audit-events").then().statusCode(200).body("size()", is(1))
                .body("[0].action", is("rotation-policy.deleted")).body("[0].outcome", is("DENIED"));

        assertThat(given().header("Authorization", READER).queryParam("connectionId", svc.id()).when()
                .get("/api/v1/rotations").then().statusCode(200).extract().jsonPath().getList("items")).isEmpty();
        List<Map<String, Object>> denied = given().header("Authorization", READER).queryParam("actor", "mallory")
                .queryParam("action", "rotation.started").when().get("/api/v1/audit-events").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(denied).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(e -> assertThat(e).containsEntry("outcome", "DENIED"));
        assertThat(stack.snowflake().keySlots(E2e.ACCOUNT, svc.user()).fingerprint(2)).isNull();
    }

    @Test
    void aPersonsRotationRunsUnderTheServiceIdentityAndBothAuditTrailsSayWho() {
        E2e.Svc svc = e2e.newConnection("delegated");
        JsonPath run = e2e.rotateAndWait(svc.id());
        assertThat(run.getString("state")).isEqualTo("DONE");
        assertThat(run.getString("createdBy")).isEqualTo("carol");

        // connection-service's trail: the slot was set by rotation-service's identity, via rotation-service.
        List<Map<String, Object>> events = given().baseUri(stack.connectionServiceUrl())
                .header("Authorization", TestTokens.mint("auditor", "connections:read").audience("connection-service").bearer())
                .queryParam("resourceId", svc.id()).queryParam("action", "connection.key-slot.set").when()
                .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).containsEntry("actor", "rotation-service").containsEntry("via", "rotation-service")
                .containsEntry("outcome", "SUCCESS");
    }

    @Test
    void theServiceIdentityReachesNothingBeyondARotation() {
        E2e.Svc svc = e2e.newConnection("narrow");
        String serviceToken = "Bearer " + stack.connectionServiceToken();
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", serviceToken).when()
                .get("/api/v1/connections/" + svc.id()).then().statusCode(200);
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", serviceToken).when()
                .get("/api/v1/connections").then().statusCode(403);
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", serviceToken).when()
                .get("/api/v1/connections/" + svc.id() + "/browse").then().statusCode(403);
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", serviceToken).when()
                .delete("/api/v1/connections/" + svc.id()).then().statusCode(403);
        given().baseUri(stack.connectionServiceUrl()).header("Authorization", serviceToken).when()
                .get("/api/v1/connections/" + svc.id() + "/permissions/manage").then().statusCode(403);
    }
}
