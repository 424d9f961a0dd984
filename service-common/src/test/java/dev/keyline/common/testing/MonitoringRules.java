package dev.keyline.common.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the metric names that shipped alert rules and dashboards depend on, so each service's
 * {@code AlertMetricsTest} can prove they exist in its own scrape output.
 */
public final class MonitoringRules {

    private MonitoringRules() {
    }

    /** Every metric named in the {@code expr} of a PrometheusRule file. */
    public static Set<String> ruleMetrics(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        JsonNode rule = new YAMLMapper().readTree(file.toFile());
        if (!"PrometheusRule".equals(rule.path("kind").asText())) {
            throw new IllegalArgumentException(file + " is not a PrometheusRule");
        }
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                String expr = r.path("expr").asText();
                if (expr.isBlank()) {
                    throw new IllegalArgumentException("rule " + r.path("alert").asText() + " in " + file + " has no expr");
                }
                names.addAll(PromQl.metricNames(expr));
            }
        }
        return names;
    }

    /** Every PromQL expression ({@code expr}, or a templating {@code definition}) in a dashboard JSON tree. */
    public static List<String> expressions(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    /** The metric names present in a Prometheus text scrape. */
    public static Set<String> scrapedNames(String scrape) {
        Set<String> exposed = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        return exposed;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if ((e.getKey().equals("expr") || e.getKey().equals("definition")) && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }
}
