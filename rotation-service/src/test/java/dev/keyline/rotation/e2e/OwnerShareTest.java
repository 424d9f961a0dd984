package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.snowflake.RequestHold;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Red-team finding: the worker pool (4) was first come, first served, so one person requesting
 * rotations of connections whose Snowflake never answers held every worker (up to 600 s per attempt)
 * and everyone else's rotations waited. Now the runs of one owner (the requester) take at most
 * {@code worker.concurrency-per-owner} workers (all but one: 3 of 4); the owner's other due runs are not
 * claimed, and another owner's run is claimed in their place at once.
 *
 * <p>Mallory's four connections wait up to 600 s for Snowflake ({@code timeoutSecs}), and her runs are
 * held in VERIFY (the new key's login, under that deadline, held by the Snowflake emulator as a host
 * that does not answer would hold it); carol's run must finish while they are still held.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class OwnerShareTest extends OnRotationStack {

    /** Another person with the same permissions as carol ({@link E2e#MANAGER}). */
    static final String MALLORY = TestTokens.mint("mallory", "rotations:manage", "connections:manage")
            .audience("rotation-service", "connection-service").bearer();

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void oneOwnersHeldRunsLeaveWorkersForAnotherOwner() {
        List<E2e.Svc> mallorys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mallorys.add(e2e.newConnection("share-mallory", 600));
        }
        E2e.Svc carols = e2e.newConnection("share-carol");
        List<RequestHold> holds = new ArrayList<>();
        try {
            for (E2e.Svc svc : mallorys) {
                holds.add(stack.snowflake().holdNext("LOGIN", E2e.ACCOUNT, svc.user()));
            }
            List<String> malloryRuns = new ArrayList<>();
            for (E2e.Svc svc : mallorys) {
                malloryRuns.add(given().header("Authorization", MALLORY).contentType(ContentType.JSON)
                        .body("{\"adopt\":false}").when().post("/api/v1/connections/" + svc.id() + "/rotations")
                        .then().statusCode(202).extract().path("id"));
            }
            // Three of them reach VERIFY and are held there: mallory's share of the four workers.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (holding(holds) < 3 && System.nanoTime() < deadline) {
                E2e.sleep(100);
            }
            assertThat(holding(holds)).as("mallory's runs held in VERIFY").isGreaterThanOrEqualTo(3);

            JsonPath carol = e2e.waitForEnd(e2e.start(carols.id(), false), Duration.ofSeconds(45));
            assertThat(carol.getString("state")).as("carol's run, while mallory's are held").isEqualTo("DONE");
            e2e.assertRotated(carols, carols.initialFingerprint(), carol.getString("newFingerprint"), 2);

            assertThat(holding(holds)).as("mallory's runs executing: her share, not every worker").isEqualTo(3);
            assertThat(malloryRuns.stream().map(id -> e2e.run(id).getString("state")))
                    .as("three held, one waiting for her share").containsExactlyInAnyOrder("VERIFY", "VERIFY", "VERIFY", "PLAN");
            assertThat(malloryRuns.stream().map(id -> e2e.run(id).getString("owner"))).as("whose share each uses")
                    .containsOnly("mallory");
            assertThat(awaitMetric("keyline_rotation_runs_waiting_for_share", 1.0))
                    .as("mallory's fourth run left due for her share").isEqualTo(1.0);

            // Her held runs end, and her waiting ones start then.
            holds.forEach(RequestHold::release);
            for (String id : malloryRuns) {
                assertThat(e2e.waitForEnd(id, Duration.ofSeconds(90)).getString("state")).isEqualTo("DONE");
            }
            assertThat(awaitMetric("keyline_rotation_runs_waiting_for_share", 0.0)).isEqualTo(0.0);
        } finally {
            holds.forEach(RequestHold::release);
        }
    }

    private static int holding(List<RequestHold> holds) {
        return (int) holds.stream().filter(RequestHold::isHolding).count();
    }

    /** The metric's value once it equals {@code expected}, or its last value after 10 s. */
    private double awaitMetric(String name, double expected) {
        double value = Double.NaN;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            value = scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElse(Double.NaN);
            if (value == expected) {
                return value;
            }
            E2e.sleep(200);
        } while (System.nanoTime() < deadline);
        return value;
    }
}
