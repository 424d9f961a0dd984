package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.keyline.keys.RsaKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Health, metrics and OpenAPI on the management port, after real runs: a DONE run and a run
 * stopped in NEEDS_ATTENTION show up in the metrics the alerts read, and readiness lists the
 * NEEDS_ATTENTION run in its data while staying UP.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class ObservabilityTest extends OnRotationStack {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/started", management = true)
    URL started;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void readinessListsNeedsAttentionRunsAndStaysUp() {
        E2e.Svc svc = e2e.newConnection("ready");
        stack.snowflake().setKeySlot(E2e.ACCOUNT, svc.user(), 2, RsaKeys.generate(2048).getPublic());
        JsonPath run = e2e.waitForEnd(e2e.start(svc.id(), false), Duration.ofSeconds(60));
        assertThat(run.getString("state")).isEqualTo("NEEDS_ATTENTION");
        String runId = run.getString("id");

        given().when().get(live).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(started).then().statusCode(200);
        JsonPath health = given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("vault", "rotations", "work-keys",
                        "Database connections health check"))
                .body("checks.name", not(hasItem("connection-service")))
                .extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        Map<String, Object> rotations = checks.stream().filter(c -> c.get("name").equals("rotations")).findFirst()
                .orElseThrow();
        assertThat(rotations.get("status")).isEqualTo("UP");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) rotations.get("data");
        assertThat(((Number) data.get("needsAttention")).intValue()).isPositive();
        assertThat(data).containsEntry("run." + runId,
                "connection " + svc.id() + ": urn:keyline:problem:unknown-key-in-slot");
    }

    @Test
    void metricsAfterADoneAndANeedsAttentionRun() {
        E2e.Svc done = e2e.newConnection("metrics-done");
        e2e.createPolicy(done.id(), Map.of("gracePeriod", "PT0S"));
        assertThat(e2e.rotateAndWait(done.id()).getString("state")).isEqualTo("DONE");
        E2e.Svc stuck = e2e.newConnection("metrics-stuck");
        stack.snowflake().setKeySlot(E2e.ACCOUNT, stuck.user(), 2, RsaKeys.generate(2048).getPublic());
        assertThat(e2e.waitForEnd(e2e.start(stuck.id(), false), Duration.ofSeconds(60)).getString("state"))
                .isEqualTo("NEEDS_ATTENTION");

        // Gauges are refreshed on every scheduler tick (1 s in tests).
        String scrape = awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + stuck.id() + "\"} 1.0",
                "keyline_rotation_seconds_until_due{connection_id=\"" + done.id() + "\"}");
        assertThat(scrape).contains("keyline_rotation_runs_total{outcome=\"done\"}",
                "keyline_rotation_runs_total{outcome=\"rolled_back\"}",
                "keyline_rotation_runs_total{outcome=\"needs_attention\"}",
                "keyline_rotation_duration_seconds_count{outcome=\"done\"}",
                "keyline_rotation_duration_seconds_bucket{outcome=\"done\"",
                "keyline_rotation_key_age_seconds{connection_id=\"" + done.id() + "\"}");
        assertThat(value(scrape, "keyline_rotation_runs_total\\{outcome=\"done\"\\}")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "keyline_rotation_runs_total\\{outcome=\"needs_attention\"\\}")).isGreaterThanOrEqualTo(1);
        // The key reserve's metrics exist; the tests' profile runs without a reserve (capacity 0).
        assertThat(value(scrape, "keyline_rotation_key_reserve_capacity")).isZero();
        assertThat(value(scrape, "keyline_rotation_key_reserve_ready")).isZero();
        assertThat(value(scrape, "keyline_rotation_key_reserve_taken_total")).isZero();
        assertThat(scrape).contains("keyline_rotation_key_reserve_missed_total");
        // Just rotated, P90D: due in about 90 days, key age about zero.
        double untilDue = value(scrape, "keyline_rotation_seconds_until_due\\{connection_id=\"" + done.id() + "\"\\}");
        assertThat(untilDue).isBetween(89 * 86400.0, 90 * 86400.0 + 60);
        assertThat(value(scrape, "keyline_rotation_key_age_seconds\\{connection_id=\"" + done.id() + "\"\\}"))
                .isBetween(0.0, 120.0);

        // A later successful run (adopting the foreign key) clears the connection's NEEDS_ATTENTION.
        assertThat(e2e.waitForEnd(e2e.start(stuck.id(), true), Duration.ofSeconds(90)).getString("state"))
                .isEqualTo("DONE");
        awaitScrape("keyline_rotation_needs_attention{connection_id=\"" + stuck.id() + "\"} 0.0");
    }

    @Test
    void openApiDescribesTheApiWithoutSecrets() {
        given().queryParam("format", "json").when().get(openapi).then().statusCode(200)
                .body("paths", hasKey("/api/v1/rotation-policies"))
                .body("paths", hasKey("/api/v1/connections/{connectionId}/rotations"))
                .body("paths", hasKey("/api/v1/audit-events"))
                // the limit the service enforces (RotationService.MAX_REASON_LENGTH), not the bean's guard
                .body("components.schemas.DecisionRequest.properties.reason.maxLength", equalTo(500))
                .body(not(containsString("BEGIN PRIVATE KEY")));
    }

    private String awaitScrape(String... expected) {
        String scrape = "";
        for (int i = 0; i < 50; i++) {
            scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            String s = scrape;
            if (java.util.Arrays.stream(expected).allMatch(s::contains)) {
                return scrape;
            }
            E2e.sleep(200);
        }
        assertThat(scrape).contains(expected);
        return scrape;
    }

    static double value(String scrape, String seriesRegex) {
        // A sample may carry an OpenMetrics exemplar after its value (" # {trace_id=…} …"): with
        // OpenTelemetry present, counters link to the trace that last incremented them.
        Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)(?: # .*)?$").matcher(scrape);
        assertThat(m.find()).as("series %s in the scrape; its lines: %s", seriesRegex,
                scrape.lines().filter(l -> l.startsWith(seriesRegex.replaceAll("\\\\.*", ""))).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
