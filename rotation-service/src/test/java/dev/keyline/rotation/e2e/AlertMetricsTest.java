package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.keyline.keys.RsaKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.keyline.common.testing.MonitoringRules;
import dev.keyline.common.testing.PromQl;

/**
 * The alerts in deploy/monitoring/rules/rotation-service.yaml (and the shared keyline-http.yaml)
 * read metrics this service really exposes: after a DONE run, a NEEDS_ATTENTION run and a policy,
 * every metric name the rules use is in /q/metrics, with the labels the rules group by; so are the
 * keyline_rotation_* metrics of the Grafana dashboard.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class AlertMetricsTest extends OnRotationStack {

    static final Path MONITORING = Path.of("..", "deploy", "monitoring").toAbsolutePath().normalize();
    static final List<String> THIS_SERVICE_RULES = List.of("rules/rotation-service.yaml", "rules/keyline-http.yaml",
            "rules/keyline-service.yaml", "rules/keyline-peers.yaml");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheRotationAlertsReadIsExposed() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String file : THIS_SERVICE_RULES) {
            used.addAll(MonitoringRules.ruleMetrics(MONITORING.resolve(file)));
        }
        // The tokenizer must have found the alerts' metrics: an empty set would prove nothing.
        assertThat(used).contains("keyline_rotation_needs_attention", "keyline_rotation_seconds_until_due",
                "keyline_rotation_runs_total", "http_server_requests_seconds_count");

        E2e.Svc done = e2e.newConnection("alerts-done");
        e2e.createPolicy(done.id(), Map.of("gracePeriod", "PT0S"));
        assertThat(e2e.rotateAndWait(done.id()).getString("state")).isEqualTo("DONE");
        E2e.Svc stuck = e2e.newConnection("alerts-stuck");
        stack.snowflake().setKeySlot(E2e.ACCOUNT, stuck.user(), 2, RsaKeys.generate(2048).getPublic());
        assertThat(e2e.waitForEnd(e2e.start(stuck.id(), false), Duration.ofSeconds(60)).getString("state"))
                .isEqualTo("NEEDS_ATTENTION");

        String scrape = "";
        for (int i = 0; i < 50 && !scrape.contains("keyline_rotation_needs_attention{connection_id=\"" + stuck.id()); i++) {
            scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            E2e.sleep(200);
        }
        Set<String> exposed = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(exposed).as("metrics read by %s", THIS_SERVICE_RULES).containsAll(used);
        // The dashboard's rotation panels read this service's metrics too.
        List<String> exprs = MonitoringRules.expressions(new ObjectMapper().readTree(MONITORING.resolve("grafana/keyline-dashboard.json").toFile()));
        Set<String> dashboard = new TreeSet<>();
        exprs.forEach(e -> PromQl.metricNames(e).stream().filter(n -> n.startsWith("keyline_rotation_")).forEach(dashboard::add));
        assertThat(dashboard).isNotEmpty();
        assertThat(exposed).as("rotation metrics the dashboard reads").containsAll(dashboard);
        // The labels the alerts group by and filter on.
        assertThat(scrape).contains("keyline_rotation_needs_attention{connection_id=\"" + stuck.id() + "\"}",
                "keyline_rotation_seconds_until_due{connection_id=\"" + done.id() + "\"}",
                "keyline_rotation_runs_total{outcome=\"rolled_back\"}");
    }
}
