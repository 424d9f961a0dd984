package dev.keyline.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Extend this in a plain JUnit class (not a {@code @QuarkusTest}) of a service module: Quarkus
 * orders plain tests after every {@code @QuarkusTest}, so the checks read what the whole suite left
 * behind: no response body and no log line may contain any private key or passphrase the suite
 * registered with {@link SecretLeakGuard}. The module logs to {@code target/quarkus-test.log}, and the
 * same records as production's JSON lines to {@code target/quarkus-test.json.log}: each of those must
 * be one JSON object with the fields a log store indexes, and no secret may hide in it behind JSON
 * escaping either (the decoded values are checked too).
 */
public abstract class RedactionChecks {

    /** A plain record Quarkus writes while building the application: "… LEVEL [category] (build-N) …". */
    private static final java.util.regex.Pattern BUILD_STEP_RECORD = java.util.regex.Pattern
            .compile("^\\d{4}-\\d{2}-\\d{2} \\S+ .*\\((build-\\d+|main)\\) ");

    @Test
    void noResponseBodyContainsUploadedSecrets() throws IOException {
        Set<String> secrets = SecretLeakGuard.recordedSecrets();
        List<String> bodies = SecretLeakGuard.recordedBodies();
        assertThat(secrets).as("secrets registered by the suite (run the whole module's tests)").hasSizeGreaterThan(20);
        assertThat(bodies).as("responses recorded by the suite").hasSizeGreaterThan(50);
        for (String body : bodies) {
            assertThat(SecretLeakGuard.leakIn(body, secrets)).as("secret in a response body").isNull();
        }
    }

    @Test
    void noLogLineContainsUploadedSecrets() throws IOException {
        Set<String> secrets = SecretLeakGuard.recordedSecrets();
        for (String line : suiteLog("target/quarkus-test.log")) {
            assertThat(SecretLeakGuard.leakIn(line, secrets))
                    .as("secret in log line: %s", line.length() > 200 ? line.substring(0, 200) : line).isNull();
        }
    }

    @Test
    void everyJsonLogLineIsOneObjectWithoutSecrets() throws IOException {
        Set<String> secrets = SecretLeakGuard.recordedSecrets();
        List<String> lines = suiteLog("target/quarkus-test.json.log");
        ObjectMapper json = new ObjectMapper();
        boolean sawSubject = false;
        boolean inBuildRecord = false;
        int jsonLines = 0;
        for (String line : lines) {
            String shown = line.length() > 200 ? line.substring(0, 200) : line;
            if (!line.startsWith("{")) {
                // Quarkus builds the application (augmentation) before each test profile starts it,
                // and logs that with the plain pattern: log filters exist at run time only. Those
                // records (thread "build-N", with their continuation lines) are still checked for
                // secrets; any other line must be JSON.
                inBuildRecord = BUILD_STEP_RECORD.matcher(line).find() || (inBuildRecord && !line.isBlank()
                        && !Character.isDigit(line.charAt(0)));
                assertThat(inBuildRecord).as("a JSON object, or a record of the build step: %s", shown).isTrue();
                assertThat(SecretLeakGuard.leakIn(line, secrets)).as("secret in log line: %s", shown).isNull();
                continue;
            }
            inBuildRecord = false;
            jsonLines++;
            JsonNode record = json.readTree(line);
            assertThat(record.isObject()).as("one JSON object per line: %s", shown).isTrue();
            for (String field : List.of("timestamp", "service", "level", "logger", "message")) {
                assertThat(record.hasNonNull(field)).as("field %s in %s", field, shown).isTrue();
            }
            assertThat(SecretLeakGuard.leakIn(line, secrets)).as("secret in JSON log line: %s", shown).isNull();
            for (JsonNode value : record) {
                assertThat(SecretLeakGuard.leakIn(value.asText(), secrets))
                        .as("secret in a decoded field of JSON log line: %s", shown).isNull();
            }
            sawSubject |= record.hasNonNull("subject");
        }
        assertThat(jsonLines).as("JSON lines written by the running application").isGreaterThan(10);
        assertThat(sawSubject).as("lines written while serving an authenticated request name its subject").isTrue();
    }

    private static List<String> suiteLog(String file) throws IOException {
        Path log = Path.of(file);
        assertThat(log).exists();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).as("the suite produced log output in %s", file).hasSizeGreaterThan(10);
        return lines;
    }
}
