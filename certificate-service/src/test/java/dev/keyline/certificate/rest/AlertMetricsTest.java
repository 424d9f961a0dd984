package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.common.testing.ManifestProbes;
import dev.keyline.common.testing.MonitoringRules;
import dev.keyline.common.testing.PromQl;
import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The alerts and dashboard in deploy/monitoring read metrics this service really exposes, and the
 * probes the Kubernetes manifests configure answer. Runs against the module's TestStack (PostgreSQL
 * and the Vault emulator), like {@link ObservabilityTest}.
 *
 * <p>Scope: rules/certificate-service.yaml (this service's alerts) and rules/keyline-http.yaml
 * (shared by every Quarkus service). rules/keyline-platform.yaml reads metrics Prometheus and
 * kube-state-metrics produce, and rules/{connection,rotation}-service.yaml belong to those services'
 * own tests; the dashboard's metrics outside those files must come from here.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class AlertMetricsTest {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final Path MONITORING = DEPLOY.resolve("monitoring");
    static final List<String> THIS_SERVICE_RULES = List.of("rules/certificate-service.yaml", "rules/keyline-http.yaml",
            "rules/keyline-service.yaml");
    /** keyline-peers.yaml: this service watches no peer. */
    static final List<String> OTHER_SOURCES_RULES = List.of("rules/keyline-platform.yaml", "rules/keyline-peers.yaml",
            "rules/connection-service.yaml", "rules/rotation-service.yaml");
    static final Path MANIFEST = DEPLOY.resolve("kubernetes/base/certificate-service/kubernetes.yml");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheCertificateServiceAlertsReadIsExposed() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String file : THIS_SERVICE_RULES) {
            used.addAll(MonitoringRules.ruleMetrics(MONITORING.resolve(file)));
        }
        // The tokenizer must have found the alerts' metrics: an empty set would prove nothing.
        assertThat(used).contains("keyline_certificate_expiry_seconds", "keyline_certificate_exchange_seconds_count",
                "http_server_requests_seconds_count");

        assertThat(exposedWithOneCertificateAndOneExchange()).as("metrics read by %s", THIS_SERVICE_RULES).containsAll(used);
    }

    @Test
    void theDashboardReadsOnlyMetricsThisServiceExposesOrOthersOwn() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana/keyline-dashboard.json").toFile());
        List<String> exprs = MonitoringRules.expressions(dashboard);
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> used.addAll(PromQl.metricNames(e)));
        for (String file : OTHER_SOURCES_RULES) {
            used.removeAll(MonitoringRules.ruleMetrics(MONITORING.resolve(file)));
        }
        // Other services' own metrics (some read only by the dashboard) are proven by their AlertMetricsTest.
        used.removeIf(name -> name.startsWith("keyline_") && !name.startsWith("keyline_certificate_"));
        assertThat(used).contains("keyline_certificate_expiry_seconds", "jvm_memory_used_bytes");

        assertThat(exposedWithOneCertificateAndOneExchange()).as("dashboard metrics").containsAll(used);
    }

    @Test
    void theProbesOfTheKubernetesManifestAnswerOnTheConfiguredManagementPort() throws IOException {
        ManifestProbes.assertProbesAnswer(MANIFEST, metrics);
    }

    // ------------------------------------------------------------------------------------------

    /** Creates a certificate (labelled expiry series) and one refused exchange (exchange timer), then scrapes. */
    private Set<String> exposedWithOneCertificateAndOneExchange() {
        String name = uniqueName("alerts");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        try {
            given().header("Authorization", USER).contentType(ContentType.JSON)
                    .body(Map.of("method", "GET", "url", "https://not-authorized.invalid/"))
                    .when().post("/api/v1/certificates/" + id + "/exchange").then().statusCode(403);
            String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
            assertThat(scrape).contains("certificate_id=\"" + id + "\"");
            return MonitoringRules.scrapedNames(scrape);
        } finally {
            given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id).then().statusCode(204);
        }
    }
}
