package dev.keyline.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks a service's committed Kubernetes manifest against the running service: the three probes
 * point at the packaged management port and the Quarkus health paths, and those paths answer 200.
 */
public final class ManifestProbes {

    private ManifestProbes() {
    }

    /**
     * @param manifest the committed generated manifest of the service
     * @param managementUrl any URL on the running test instance's management interface (e.g. its /q/metrics)
     */
    public static void assertProbesAnswer(Path manifest, URL managementUrl) throws IOException {
        JsonNode container = null;
        for (JsonNode doc : new YAMLMapper().readerFor(JsonNode.class).<JsonNode> readValues(Files.readString(manifest)).readAll()) {
            if ("Deployment".equals(doc.path("kind").asText())) {
                container = doc.at("/spec/template/spec/containers/0");
            }
        }
        assertThat(container).as("Deployment in %s", manifest).isNotNull();
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
            // Same host and (test) management port as the given URL, the manifest's path.
            URL url = URI.create(managementUrl.toString()).resolve(path).toURL();
            given().when().get(url).then().statusCode(200);
        }
        Set<Integer> ports = new TreeSet<>();
        container.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        assertThat(ports).as("container ports").containsExactlyInAnyOrder(apiPort, managementPort);
    }
}
