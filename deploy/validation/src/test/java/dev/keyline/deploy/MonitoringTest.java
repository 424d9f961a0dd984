package dev.keyline.deploy;

import dev.keyline.common.testing.PromQl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;

/**
 * deploy/monitoring renders strictly, its rules are complete and scoped per service, runbook links
 * resolve, and the dashboard reads only metrics the rules use or that every Quarkus service
 * exposes. That the metrics really exist is proven against a running service by each service's
 * AlertMetricsTest (certificate-service: rules/certificate-service.yaml, rules/keyline-http.yaml and
 * the dashboard's certificate/JVM/HTTP panels; connection-service: rules/connection-service.yaml,
 * rules/keyline-http.yaml and the dashboard's connection/JVM/HTTP panels).
 */
class MonitoringTest {

    /** Rule file -> the metric name prefix only it may use, so each service's existence test reads only its own file. */
    static final Map<String, String> SERVICE_RULE_FILES = Map.of(
            "certificate-service.yaml", "keyline_certificate_",
            "connection-service.yaml", "keyline_connection_",
            "rotation-service.yaml", "keyline_rotation_");

    /** Metrics from outside the services: Prometheus' own "up" and kube-state-metrics. */
    static final Set<String> PLATFORM = Set.of("up", "kube_deployment_status_replicas_available", "kube_deployment_spec_replicas");

    /**
     * Exposed by every Quarkus service with micrometer-registry-prometheus (AlertMetricsTest proves them); the
     * connection limit's counter since http-limits sets {@code quarkus.http.limits.max-connections}.
     */
    static final Set<String> QUARKUS_STANDARD = Set.of("http_server_requests_seconds_count", "http_server_requests_seconds_sum",
            "jvm_memory_used_bytes", "vertx_http_connections_rejected_total");

    /** Read only by the dashboard; the owning service's AlertMetricsTest proves each one is exposed. */
    static final Set<String> DASHBOARD_ONLY = Set.of("keyline_rotation_key_age_seconds");
    static final Set<String> REQUIRED_ALERTS = Set.of("KeylineCertificateExpiringSoon", "KeylineCertificateExpired",
            "KeylineRotationNeedsAttention", "KeylineRotationOverdue", "KeylineTargetDown", "KeylineReplicasNotReady",
            "KeylineHighErrorRate", "KeylineAuditEventsLost", "KeylineAuditWritesFailing", "KeylineWorkPoolSaturated",
            "KeylinePeerDown");

    @Test
    void rulesRenderStrictlyAndEveryAlertIsCompleteAndLinksAnExistingRunbook() throws IOException {
        List<HasMetadata> objects = StrictManifests.parse(Repo.kustomize(Repo.MONITORING));
        List<PrometheusRule> rules = objects.stream().filter(PrometheusRule.class::isInstance).map(PrometheusRule.class::cast).toList();
        try (var files = Files.list(Repo.MONITORING.resolve("rules"))) {
            assertThat(rules).as("every rules/*.yaml is in deploy/monitoring/kustomization.yaml")
                    .hasSize((int) files.filter(p -> p.toString().endsWith(".yaml")).count());
        }
        Set<String> anchors = readmeAnchors();
        Set<String> alerts = new TreeSet<>();
        for (PrometheusRule pr : rules) {
            for (RuleGroup group : pr.getSpec().getGroups()) {
                assertThat(group.getRules()).as("group %s", group.getName()).isNotEmpty();
                for (Rule rule : group.getRules()) {
                    String what = pr.getMetadata().getName() + "/" + rule.getAlert();
                    assertThat(rule.getAlert()).as("every rule is an alert (%s)", pr.getMetadata().getName()).isNotBlank();
                    assertThat(alerts.add(rule.getAlert())).as("alert %s defined twice", rule.getAlert()).isTrue();
                    String expr = expr(rule);
                    assertThat(PromQl.metricNames(expr)).as("%s reads a metric", what).isNotEmpty();
                    assertThat(balanced(expr)).as("%s has balanced brackets", what).isTrue();
                    assertThat(rule.getLabels()).as("%s labels", what).containsKey("severity");
                    assertThat(rule.getLabels().get("severity")).as("%s severity", what).isIn("warning", "critical");
                    assertThat(rule.getAnnotations()).as("%s annotations", what).containsKeys("summary", "description", "runbook");
                    String runbook = rule.getAnnotations().get("runbook");
                    assertThat(runbook).as("%s runbook", what).startsWith("deploy/README.md#");
                    assertThat(anchors).as("%s runbook anchor in deploy/README.md", what)
                            .contains(runbook.substring(runbook.indexOf('#') + 1));
                }
            }
        }
        assertThat(alerts).containsAll(REQUIRED_ALERTS);
    }

    @Test
    void theThresholdsAreTheAgreedOnes() {
        Map<String, String> exprs = alertExpressions();
        assertThat(exprs.get("KeylineCertificateExpiringSoon")).contains("keyline_certificate_expiry_seconds").contains("< 14 * 24 * 3600");
        assertThat(exprs.get("KeylineCertificateExpired")).contains("keyline_certificate_expiry_seconds").contains("< 0");
        assertThat(exprs.get("KeylineRotationNeedsAttention")).contains("keyline_rotation_needs_attention").contains("> 0");
        assertThat(exprs.get("KeylineRotationOverdue")).contains("keyline_rotation_seconds_until_due").contains("< 0");
        assertThat(exprs.get("KeylineTargetDown")).contains("up{").contains("== 0");
        assertThat(exprs.get("KeylineHighErrorRate")).contains("http_server_requests_seconds_count").contains("status=~\"5..\"");
    }

    @Test
    void serviceMetricsAppearOnlyInTheirServicesRuleFile() {
        Map<String, Set<String>> byFile = metricsByRuleFile();
        assertThat(byFile).containsKeys(SERVICE_RULE_FILES.keySet().toArray(String[]::new));
        byFile.forEach((file, names) -> {
            for (String name : names) {
                SERVICE_RULE_FILES.forEach((owner, prefix) -> {
                    if (name.startsWith(prefix)) {
                        assertThat(file).as("%s is read by %s but belongs to %s", name, file, owner).isEqualTo(owner);
                    }
                });
            }
        });
        assertThat(byFile.get("keyline-platform.yaml")).as("platform rules read only platform metrics").isSubsetOf(PLATFORM);
        assertThat(byFile.get("keyline-http.yaml")).as("shared HTTP rules read only standard Quarkus metrics").isSubsetOf(QUARKUS_STANDARD);
    }

    @Test
    void dashboardParsesAndReadsOnlyKnownMetrics() throws IOException {
        Path file = Repo.MONITORING.resolve("grafana/keyline-dashboard.json");
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("panels").isArray()).isTrue();
        List<String> exprs = new ArrayList<>();
        collectExpressions(dashboard, exprs);
        assertThat(exprs).as("dashboard queries").hasSizeGreaterThanOrEqualTo(10);

        Set<String> known = new TreeSet<>(QUARKUS_STANDARD);
        known.addAll(PLATFORM);
        known.addAll(DASHBOARD_ONLY);
        metricsByRuleFile().values().forEach(known::addAll);
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            assertThat(balanced(expr)).as("balanced brackets in %s", expr).isTrue();
            used.addAll(PromQl.metricNames(expr));
        }
        assertThat(used).as("dashboard metrics not used by any rule nor standard").isSubsetOf(known);
        // The views the operators asked for: health, certificate expiry, rotation outcomes, key age.
        assertThat(used).contains("up", "keyline_certificate_expiry_seconds", "keyline_rotation_runs_total",
                "keyline_rotation_key_age_seconds", "keyline_connection_test_failures_total");

        // The rendered ConfigMap carries the dashboard unchanged, for Grafana's sidecar.
        ConfigMap cm = StrictManifests.parse(Repo.kustomize(Repo.MONITORING)).stream().filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast).filter(c -> c.getMetadata().getName().equals("keyline-grafana-dashboard")).findFirst()
                .orElseThrow();
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(cm.getData().get("keyline-dashboard.json")).isEqualTo(Repo.read(file));
    }

    /** Issue #16: from a run id (alert, API, log) or a failed request to its trace, by trace id. */
    @Test
    void dashboardLinksRunsAndRequestsToTheirTraces() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Repo.MONITORING.resolve("grafana/keyline-dashboard.json").toFile());
        List<JsonNode> tracePanels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            if ("tempo".equals(p.path("datasource").path("type").asText())) {
                tracePanels.add(p);
            }
        });
        assertThat(tracePanels).as("panels on the tracing data source").isNotEmpty();
        assertThat(tracePanels).as("a panel lists the traces of a rotation run by its run id attribute")
                .anyMatch(p -> p.path("targets").toString().contains("span.keyline.rotation.run_id = \\\"$run_id\\\""));
        assertThat(tracePanels).as("trace tables link each traceID to the trace")
                .filteredOn(p -> p.path("type").asText().equals("table")).isNotEmpty()
                .allMatch(p -> p.path("fieldConfig").toString().contains("\"options\":\"traceID\"")
                        && p.path("fieldConfig").toString().contains("${__value.raw}"));
        assertThat(tracePanels).as("a trace view opens the trace id of an audit event or log line")
                .anyMatch(p -> p.path("type").asText().equals("traces") && p.path("targets").toString().contains("$trace_id"));
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("tracing", "run_id", "trace_id");
    }

    // ------------------------------------------------------------------------------------------

    static Map<String, Set<String>> metricsByRuleFile() {
        Map<String, Set<String>> byFile = new LinkedHashMap<>();
        try (var files = Files.list(Repo.MONITORING.resolve("rules"))) {
            for (Path p : files.sorted().toList()) {
                Set<String> names = new TreeSet<>();
                for (HasMetadata o : StrictManifests.parse(Repo.read(p))) {
                    for (RuleGroup g : ((PrometheusRule) o).getSpec().getGroups()) {
                        g.getRules().forEach(r -> names.addAll(PromQl.metricNames(expr(r))));
                    }
                }
                byFile.put(p.getFileName().toString(), names);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return byFile;
    }

    static Map<String, String> alertExpressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        try (var files = Files.list(Repo.MONITORING.resolve("rules"))) {
            for (Path p : files.sorted().toList()) {
                for (HasMetadata o : StrictManifests.parse(Repo.read(p))) {
                    for (RuleGroup g : ((PrometheusRule) o).getSpec().getGroups()) {
                        g.getRules().forEach(r -> exprs.put(r.getAlert(), expr(r)));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return exprs;
    }

    static String expr(Rule rule) {
        assertThat(rule.getExpr()).as("expr of %s", rule.getAlert()).isNotNull();
        String expr = rule.getExpr().getStrVal();
        assertThat(expr).as("expr of %s is PromQL text", rule.getAlert()).isNotBlank();
        return expr;
    }

    static void collectExpressions(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if ((e.getKey().equals("expr") || e.getKey().equals("definition")) && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else if (e.getKey().equals("query") && e.getValue().isObject() && e.getValue().path("query").isTextual()) {
                    out.add(e.getValue().path("query").asText());
                } else {
                    collectExpressions(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectExpressions(n, out));
        }
    }

    static boolean balanced(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        java.util.ArrayDeque<Character> stack = new java.util.ArrayDeque<>();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '(', '[', '{' -> stack.push(c);
                case ')' -> { if (stack.isEmpty() || stack.pop() != '(') return false; }
                case ']' -> { if (stack.isEmpty() || stack.pop() != '[') return false; }
                case '}' -> { if (stack.isEmpty() || stack.pop() != '{') return false; }
                default -> { }
            }
        }
        return stack.isEmpty();
    }

    /** GitHub-style anchors of deploy/README.md's headings. */
    static Set<String> readmeAnchors() {
        Set<String> anchors = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(Repo.read(Repo.README));
        while (m.find()) {
            anchors.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").trim().replace(' ', '-'));
        }
        return anchors;
    }
}
