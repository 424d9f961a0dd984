package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * connection-service down: the requests that must ask it answer 503 {@code connection-service-unavailable} with
 * {@code Retry-After}, also once the client's circuit breaker opened (its {@code CircuitBreakerOpenException} used
 * to answer 500 {@code internal-error}).
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class ConnectionServiceDownTest {

    RotationStack.Handles stack;

    @Test
    void requestsThatNeedConnectionServiceAnswer503WithRetryAfterAlsoWithTheBreakerOpen() {
        E2e e2e = new E2e(stack);
        E2e.Svc svc = e2e.newConnection("down");
        String policy = "{\"connectionId\":\"" + svc.id() + "\",\"schedule\":\"P90D\"}";
        stack.connectionService().kill();
        List<String> details = new ArrayList<>();
        try {
            // Each request is 3 calls (2 retries); the breaker opens after 10 failed calls of 10.
            for (int i = 0; i < 8; i++) {
                Response r = i % 2 == 0
                        ? given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body("{\"adopt\":false}")
                                .when().post("/api/v1/connections/" + svc.id() + "/rotations")
                        : given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body(policy)
                                .when().post("/api/v1/rotation-policies");
                assertThat(r.statusCode()).as("answer %d: %s", i, r.asString()).isEqualTo(503);
                assertThat(r.header("Retry-After")).as("Retry-After of answer %d", i).isEqualTo("5");
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.<String> path("type")).isEqualTo("urn:keyline:problem:connection-service-unavailable");
                details.add(r.path("detail"));
            }
        } finally {
            stack.connectionService().restart();
        }
        assertThat(details).allSatisfy(d -> assertThat(d).contains(svc.id()).contains("nothing was changed")
                .contains("Retry later"));
        assertThat(details).anySatisfy(d -> assertThat(d).contains("did not answer"));
        assertThat(details).anySatisfy(d -> assertThat(d).contains("circuit breaker is open"));

        // Back: the breaker lets a call through after its delay (5 s) and closes again.
        long until = System.currentTimeMillis() + 60_000;
        int status = 0;
        while (System.currentTimeMillis() < until) {
            status = given().header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body(policy).when()
                    .post("/api/v1/rotation-policies").statusCode();
            if (status != 503) {
                break;
            }
            E2e.sleep(1000);
        }
        assertThat(status).isEqualTo(201);
    }
}
