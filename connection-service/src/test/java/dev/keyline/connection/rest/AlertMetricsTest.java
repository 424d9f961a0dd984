package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.common.testing.ManifestProbes;
import dev.keyline.common.testing.MonitoringRules;
import dev.keyline.common.testing.PromQl;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The alerts and dashboard in deploy/monitoring read metrics this service really exposes, and the
 * probes the Kubernetes manifests configure answer. Runs against the module's TestStack (PostgreSQL,
 * the Vault emulator, the Snowflake emulator and the certificate-service stub), like
 * {@link ObservabilityTest}.
 *
 * <p>Scope: rules/connection-service.yaml (this service's alerts), rules/keyline-http.yaml (shared by
 * every Quarkus service) and the dashboard panels reading connection-service's metrics
 * ({@code keyline_connection_*}) or the standard HTTP/JVM ones. The certificate and rotation metrics
 * belong to those services' own AlertMetricsTest.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class AlertMetricsTest {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final Path MONITORING = DEPLOY.resolve("monitoring");
    static final List<String> THIS_SERVICE_RULES = List.of("rules/connection-service.yaml", "rules/keyline-http.yaml",
            "rules/keyline-service.yaml", "rules/keyline-peers.yaml");
    /** Dashboard metrics this service must expose: its own and those every Quarkus service exposes. */
    static final Pattern THIS_SERVICE_DASHBOARD_METRICS = Pattern.compile("keyline_connection_.*|http_server_.*|jvm_.*|process_.*");
    static final Path MANIFEST = DEPLOY.resolve("kubernetes/base/connection-service/kubernetes.yml");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Test
    void everyMetricTheConnectionServiceAlertsReadIsExposed() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String file : THIS_SERVICE_RULES) {
            used.addAll(MonitoringRules.ruleMetrics(MONITORING.resolve(file)));
        }
        // The tokenizer must have found the alerts' metrics: an empty set would prove nothing.
        assertThat(used).contains("keyline_connection_test_failures_total", "keyline_connection_test_seconds_count",
                "http_server_requests_seconds_count");

        assertThat(exposedAfterOneFailedAndOneSuccessfulTest()).as("metrics read by %s", THIS_SERVICE_RULES).containsAll(used);
    }

    @Test
    void theDashboardsConnectionAndStandardPanelsReadMetricsThisServiceExposes() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana/keyline-dashboard.json").toFile());
        List<String> exprs = MonitoringRules.expressions(dashboard);
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> used.addAll(PromQl.metricNames(e)));
        used.removeIf(name -> !THIS_SERVICE_DASHBOARD_METRICS.matcher(name).matches());
        assertThat(used).contains("keyline_connection_test_failures_total", "jvm_memory_used_bytes");

        assertThat(exposedAfterOneFailedAndOneSuccessfulTest()).as("dashboard metrics").containsAll(used);
    }

    @Test
    void theProbesOfTheKubernetesManifestAnswerOnTheConfiguredManagementPort() throws IOException {
        ManifestProbes.assertProbesAnswer(MANIFEST, metrics);
    }

    // ------------------------------------------------------------------------------------------

    /**
     * One Snowflake connection tested twice: first with its key not registered for the user (a
     * failure: the counter by error type and the timer), then registered (success), then scrapes.
     */
    private Set<String> exposedAfterOneFailedAndOneSuccessfulTest() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_ALERTS", null);
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("alerts"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        try {
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(422);
            snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey(key.getPublic());
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(200);
            String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            assertThat(scrape).contains("error=\"snowflake-jwt-rejected\"");
            return MonitoringRules.scrapedNames(scrape);
        } finally {
            given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        }
    }
}
