package dev.keyline.rotation.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.ChunkedPost;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.rotation.e2e.RotationStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Policy validation and security; the connection lookups go to the real connection-service. */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class PolicyResourceTest {

    /** Forwarded to connection-service for the connection check, so issued for both services. */
    static final String MANAGER = TestTokens.mint("dave", "rotations:manage", "connections:manage")
            .audience("rotation-service", "connection-service").bearer();
    static final String READER = TestTokens.bearer("erin", "rotations:read");
    static final String BASE = "/api/v1/rotation-policies";

    @TestHTTPResource("/")
    java.net.URL root;

    @BeforeEach
    void guard() {
        SecretLeakGuard.install();
    }

    @Test
    void badScheduleNamesTheField() {
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "every tuesday")).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("schedule"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "PT30M")).then().statusCode(400)
                .body("errors[0].field", is("schedule"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P90D", "keySize", 1024)).then()
                .statusCode(400).body("errors[0].field", is("keySize"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P90D", "gracePeriod", "soon")).then()
                .statusCode(400).body("errors[0].field", is("gracePeriod"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "0 0 3 * * ?",
                "window", Map.of("start", "25:00", "end", "05:00"))).then().statusCode(400)
                .body("errors[0].field", is("window.start"));
    }

    /** Every bad field in one answer, not one per attempt. */
    @Test
    void everyBadFieldIsNamedAtOnce() {
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "0 3 * * *", "keySize", 1024,
                "gracePeriod", "soon", "maxAttempts", 0)).then().statusCode(400)
                .body("errors.field", contains("gracePeriod", "keySize", "maxAttempts", "schedule"))
                .body("errors.find { it.field == 'schedule' }.reason", containsString("0 0 3 * * ?"));
    }

    /** JSON of the wrong types and unknown fields, at any depth, in one answer too, with bean validation's findings. */
    @Test
    void unknownFieldsAndWrongTypesAreNamedAtOnce() {
        post(Map.of("connectionId", "not-a-uuid", "schedule", "P90D", "keySize", "big", "enabled", "yes", "cron", "x",
                "window", Map.of("start", 5, "end", "05:00", "zone", "z".repeat(100), "extra", 1))).then().statusCode(400)
                .contentType("application/problem+json").body("type", is("urn:keyline:problem:invalid-request"))
                .body("errors.field", contains("connectionId", "cron", "enabled", "keySize", "window.extra",
                        "window.start", "window.zone"))
                .body("errors.reason", contains("expected UUID", "unknown field", "expected boolean (true or false)",
                        "expected whole number", "unknown field", "expected string", "size must be between 0 and 64"));
    }

    @Test
    void unknownConnectionIs404() {
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "0 0 3 1 * ?")).then().statusCode(404)
                .contentType("application/problem+json").body("type", is("urn:keyline:problem:unknown-connection"))
                .body("errors[0].field", is("connectionId"));
    }

    @Test
    void permissionsAreChecked() {
        given().when().get(BASE).then().statusCode(401);
        given().header("Authorization", TestTokens.bearer("mallory", "connections:manage")).when().get(BASE).then()
                .statusCode(403);
        given().header("Authorization", READER).when().get(BASE).then().statusCode(200);
        given().header("Authorization", READER).contentType(ContentType.JSON)
                .body(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P90D")).when().post(BASE).then()
                .statusCode(403);
        given().header("Authorization", READER).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/connections/" + UUID.randomUUID() + "/rotations").then().statusCode(403);
        given().header("Authorization", MANAGER).when().get("/api/v1/rotations/" + UUID.randomUUID()).then()
                .statusCode(404).body("type", notNullValue());
    }

    @Test
    void aChunkedBodyPastTheCeilingIsA413ProblemNotVertxEmptyOne() throws java.io.IOException {
        // keyline.http.max-request-bytes is 64 KiB here; the body declares no length, so it is counted while read.
        String answer = ChunkedPost.post(root, BASE, MANAGER,
                "{\"connectionId\":\"" + "A".repeat(2_000_000) + "\"}");
        assertThat(answer).startsWith("HTTP/1.1 413").contains("urn:keyline:problem:request-too-large");
    }

    /**
     * Red-team findings: runs are never deleted, and page 1,000,000 of 500 walked the whole table (1 s at a
     * million runs); enabled=maybe filtered on false (JAX-RS reads Boolean with Boolean.valueOf).
     */
    @Test
    void listsRefuseDeepPagesAndABooleanThatIsNotOne() {
        given().header("Authorization", READER).queryParam("page", 20).queryParam("size", 500).when()
                .get("/api/v1/rotations").then().statusCode(200);
        given().header("Authorization", READER).queryParam("page", 21).queryParam("size", 500).when()
                .get("/api/v1/rotations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("page"));
        given().header("Authorization", READER).queryParam("page", 1_000_000).queryParam("size", 500).when()
                .get("/api/v1/rotations").then().statusCode(400).body("errors[0].field", is("page"));
        given().header("Authorization", READER).queryParam("enabled", "maybe").when().get(BASE).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", is("enabled"));
        given().header("Authorization", READER).queryParam("enabled", "FALSE").when().get(BASE).then()
                .statusCode(200);
    }

    /** Red-team finding: LocalTime read 02:00:30, which the HH:mm window column cannot hold: a 500 at the insert. */
    @Test
    void aWindowWithSecondsIsAFieldError() {
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P1D",
                "window", Map.of("start", "02:00:30", "end", "05:00"))).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("window.start"));
    }

    /** {"adopt": 1} was read as true, and adopt overrides a safety guard: only a JSON boolean is one. */
    @Test
    void aValueOfAnotherJsonTypeIsRefusedNotConverted() {
        for (String start : new String[] { "{\"adopt\":1}", "{\"adopt\":\"true\"}" }) {
            given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(start).when()
                    .post("/api/v1/connections/" + UUID.randomUUID() + "/rotations").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", is("adopt"));
        }
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{} {\"adopt\":true}").when()
                .post("/api/v1/connections/" + UUID.randomUUID() + "/rotations").then().statusCode(400)
                .body("type", is("urn:keyline:problem:malformed-json"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P90D", "keySize", 2048.7)).then()
                .statusCode(400).body("errors[0].field", is("keySize"));
        post(Map.of("connectionId", UUID.randomUUID().toString(), "schedule", "P90D", "maxAttempts", 1099511627776L))
                .then().statusCode(400).body("type", is("urn:keyline:problem:invalid-request"))
                .body("errors[0].field", is("maxAttempts")).body("errors[0].reason", is("number out of range"));
    }

    @Test
    void anInstantBeyondPostgresIs400NamingTheParameter() {
        given().header("Authorization", READER).queryParam("until", "+999999999-12-31T23:59:59Z").when()
                .get("/api/v1/rotations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("until"));
    }

    private static io.restassured.response.Response post(Map<String, Object> body) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body).when().post(BASE);
    }
}
