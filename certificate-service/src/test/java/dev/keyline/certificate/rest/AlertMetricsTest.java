package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

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
class AlertMetricsTest {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final Path MONITORING = DEPLOY.resolve("monitoring");
    static final List<String> THIS_SERVICE_RULES = List.of("rules/certificate-service.yaml", "rules/keyline-http.yaml");
    static final List<String> OTHER_SOURCES_RULES = List.of("rules/keyline-platform.yaml", "rules/connection-service.yaml",
            "rules/rotation-service.yaml");
    static final Path MANIFEST = DEPLOY.resolve("kubernetes/base/certificate-service/kubernetes.yml");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeAll
    static void guard() {
        SecretLeakGuard.install();
    }

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
        JsonNode container = null;
        for (JsonNode doc : new YAMLMapper().readerFor(JsonNode.class).<JsonNode> readValues(Files.readString(MANIFEST)).readAll()) {
            if ("Deployment".equals(doc.path("kind").asText())) {
                container = doc.at("/spec/template/spec/containers/0");
            }
        }
        assertThat(container).as("Deployment in %s", MANIFEST).isNotNull();
        // The ports the packaged service listens on (the test itself runs on random ports).
        Properties packaged = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            packaged.load(in);
        }
        int managementPort = Integer.parseInt(packaged.getProperty("quarkus.management.port"));
        int apiPort = Integer.parseInt(packaged.getProperty("quarkus.http.port"));
        container.path("env").forEach(e -> assertThat(e.path("name").asText()).as("the manifest keeps the packaged ports")
                .isNotIn("QUARKUS_HTTP_PORT", "QUARKUS_MANAGEMENT_PORT"));
        Map<String, String> expected = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        for (var probe : expected.entrySet()) {
            JsonNode httpGet = container.path(probe.getKey()).path("httpGet");
            assertThat(httpGet.path("port").asInt()).as("%s port is the management port", probe.getKey()).isEqualTo(managementPort);
            String path = httpGet.path("path").asText();
            assertThat(path).as("%s path", probe.getKey()).isEqualTo(probe.getValue());
            // Same host and (test) management port as /q/metrics, the manifest's path.
            URL url = URI.create(metrics.toString()).resolve(path).toURL();
            given().when().get(url).then().statusCode(200);
        }
        Set<Integer> ports = new TreeSet<>();
        container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        assertThat(ports).as("container ports").containsExactlyInAnyOrder(apiPort, managementPort);
    }

    // ------------------------------------------------------------------------------------------

    /** Creates a certificate (labelled expiry series) and one refused exchange (exchange timer), then scrapes. */
    private Set<String> exposedWithOneCertificateAndOneExchange() {
        String name = uniqueName("alerts");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        try {
            given().header("Authorization", MANAGER).contentType(ContentType.JSON)
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
