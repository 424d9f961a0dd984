package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.common.security.Caller;
import dev.keyline.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Red-team finding: a caller whose token subject is longer than the {@code created_by} columns (200
 * characters; a Keycloak username may have 255) got a 500 on every policy, run and connection it
 * created, from the insert. Now the recorded name is cut to {@link Caller#MAX_NAME_LENGTH}, as the
 * audit trail's actor always was; the whole subject still reaches connection-service in the token.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class LongSubjectTest extends OnRotationStack {

    static final String SUBJECT = "svc-" + "x".repeat(246);
    static final String RECORDED = SUBJECT.substring(0, Caller.MAX_NAME_LENGTH);
    static final String LONG_MANAGER = TestTokens.mint(SUBJECT, "rotations:manage", "connections:manage")
            .audience("rotation-service", "connection-service").bearer();

    @Test
    void aSubjectLongerThanTheColumnsCreatesPoliciesAndRunsRecordedUnderItsFirst200Characters() {
        E2e.Svc svc = e2e.newConnection("longsub");
        given().header("Authorization", LONG_MANAGER).contentType(ContentType.JSON)
                .body(Map.of("connectionId", svc.id(), "schedule", "P90D", "enabled", false)).when()
                .post("/api/v1/rotation-policies").then().statusCode(201).body("createdBy", is(RECORDED))
                .body("updatedBy", is(RECORDED));
        String runId = given().header("Authorization", LONG_MANAGER).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/connections/" + svc.id() + "/rotations").then().statusCode(202)
                .body("createdBy", is(RECORDED)).extract().path("id");
        e2e.waitForEnd(runId, Duration.ofSeconds(90));
        given().header("Authorization", E2e.READER).queryParam("resourceId", runId)
                .queryParam("action", "rotation.started").when().get("/api/v1/audit-events").then().statusCode(200)
                .body("size()", is(1)).body("[0].actor", is(RECORDED));
    }
}
