package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * The committed deploy/kubernetes/base/&lt;service&gt;/kubernetes.yml has exactly the content
 * quarkus-kubernetes generates from the service's current configuration (ignoring the order of keys
 * and list items, which varies between builds), so the base cannot drift from the build.
 *
 * <p>In a reactor build ({@code ./verify}) the service module has just been packaged before this
 * module, so the check always runs there. Run alone, it compares only when
 * &lt;service&gt;/target/kubernetes/kubernetes.yml is newer than every input of the generation
 * (pom.xml, application.properties, src/main/kubernetes/); otherwise it skips and says why.
 */
class GeneratedBaseTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void committedBaseEqualsTheGeneratedManifest() throws IOException {
        List<String> compared = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String service : Repo.services()) {
            Path committed = Repo.KUBERNETES.resolve("base").resolve(service).resolve("kubernetes.yml");
            assertThat(committed).as("committed copy of %s's generated manifest", service).isRegularFile();
            Path module = Repo.ROOT.resolve(service);
            Path generated = module.resolve("target/kubernetes/kubernetes.yml");
            if (!Files.isRegularFile(generated)) {
                skipped.add(service + " (not packaged: " + Repo.ROOT.relativize(generated) + " absent)");
                continue;
            }
            Path newerInput = newestInput(module);
            if (newerInput != null && Files.getLastModifiedTime(newerInput).compareTo(Files.getLastModifiedTime(generated)) > 0) {
                skipped.add(service + " (stale: " + Repo.ROOT.relativize(newerInput) + " changed after the last package)");
                continue;
            }
            assertThat(canonical(Repo.read(committed)))
                    .as("deploy/kubernetes/base/%s/kubernetes.yml differs from %s: run deploy/kubernetes/sync-generated.sh %s and commit",
                            service, Repo.ROOT.relativize(generated), service)
                    .isEqualTo(canonical(Repo.read(generated)));
            compared.add(service);
        }
        Assumptions.assumeTrue(skipped.isEmpty(), "compared " + compared + "; could not compare " + skipped
                + " - package the module (./mvnw -pl <service> -am package -DskipTests) to check it");
    }

    @Test
    void theComparisonIgnoresOrderButNotContent() {
        String a = "---\nkind: A\nmetadata: {labels: {x: '1', y: '2'}}\nports: [{p: 1}, {p: 2}]\n---\nkind: B\n";
        String reordered = "kind: B\n---\nports: [{p: 2}, {p: 1}]\nmetadata: {labels: {y: '2', x: '1'}}\nkind: A\n";
        assertThat(canonical(a)).isEqualTo(canonical(reordered));
        assertThat(canonical(a)).isNotEqualTo(canonical(reordered.replace("p: 2", "p: 3")));
        assertThat(canonical(a)).isNotEqualTo(canonical(reordered.replace("y: '2'", "y: '2', z: '3'")));
        assertThat(canonical(a)).isNotEqualTo(canonical("kind: B\n"));
    }

    /**
     * The manifest with every mapping's keys sorted and every list (and the documents) in a fixed
     * order: quarkus-kubernetes (dekorate) emits labels and container ports in an order that varies
     * from build to build, so only content is compared.
     */
    static String canonical(String yaml) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode> readValues(yaml)) {
            List<String> canonical = new ArrayList<>();
            for (JsonNode doc : docs.readAll()) {
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    canonical.add(YAML.writeValueAsString(sort(doc)));
                }
            }
            canonical.sort(null);
            return String.join("---\n", canonical);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode sort(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = YAML.createObjectNode();
            new TreeMap<String, JsonNode>(YAML.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<Map<String, JsonNode>>() {
            })).forEach((k, v) -> sorted.set(k, sort(v)));
            return sorted;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(sort(n)));
            items.sort(Comparator.comparing(JsonNode::toString));
            ArrayNode array = YAML.createArrayNode();
            items.forEach(array::add);
            return array;
        }
        return node;
    }

    @Test
    void generatedManifestsAreIdempotent() {
        for (String service : Repo.services()) {
            String committed = Repo.read(Repo.KUBERNETES.resolve("base").resolve(service).resolve("kubernetes.yml"));
            assertThat(committed).as("%s: no build timestamp or commit id (quarkus.kubernetes.idempotent=true)", service)
                    .doesNotContain("app.quarkus.io/build-timestamp").doesNotContain("app.quarkus.io/commit-id");
            assertThat(committed).as("%s: no image pulled from docker.io/root (set the image registry and group)", service)
                    .doesNotContain("docker.io/root/");
        }
    }

    private static Path newestInput(Path module) throws IOException {
        List<Path> inputs = new ArrayList<>(List.of(module.resolve("pom.xml"), module.resolve("src/main/resources/application.properties")));
        Path fragments = module.resolve("src/main/kubernetes");
        if (Files.isDirectory(fragments)) {
            try (Stream<Path> files = Files.list(fragments)) {
                files.forEach(inputs::add);
            }
        }
        Path newest = null;
        FileTime newestTime = null;
        for (Path p : inputs) {
            if (Files.exists(p)) {
                FileTime t = Files.getLastModifiedTime(p);
                if (newestTime == null || t.compareTo(newestTime) > 0) {
                    newest = p;
                    newestTime = t;
                }
            }
        }
        return newest;
    }
}
