package dev.keyline.certificate.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The series dashboards and alerts read exist right after start, before the first request that
 * would create them: a profile of its own restarts the service, so nothing ran before this test.
 */
@QuarkusTest
@TestProfile(MetricsAtStartTest.FreshStart.class)
class MetricsAtStartTest {

    /** No override but its own: a test profile of its own is what makes Quarkus start the service afresh. */
    public static class FreshStart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("certificate-service.egress.exchanges-per-caller", "16");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void theWorkPoolsAndTheExchangeShareArePublishedBeforeTheirFirstUse() {
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_work_caller_refused_total{pool=\"keys\"} 0"))
                .body(containsString("keyline_work_caller_refused_total{pool=\"exchanges\"} 0"))
                .body(containsString("keyline_work_rejected_total{pool=\"keys\"} 0"));
    }
}
