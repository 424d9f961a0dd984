package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Carries out each service's {@code Dockerfile.jvm} without a container engine, on the service's
 * package from this build and the JDK running the tests (the image's major version, 25): its
 * {@code COPY} steps into a directory standing for {@code /deployments}, its {@code ENV} steps, and
 * the {@code RUN} step that trains the JDK AOT cache, then starts the service the way the image's
 * entry point does, with {@code -XX:AOTMode=on} added so that a cache the JVM refuses fails the start
 * instead of costing a warning the image would print and carry on from.
 *
 * <p>
 * Why: the image build is the only place the cache is made, no container engine exists here, and a
 * cache that does not match the run-time JVM options is dropped silently: the start just gets slower.
 * The image's entry point ({@code run-java.sh} of the UBI OpenJDK images) adds its own GC options to
 * {@code JAVA_OPTS_APPEND}; they are part of what the cache must match. On a JDK before 25 it checks the
 * image's fallback instead: no cache written, the service starts with the same options. Needs the services packaged
 * ({@code ./mvnw verify} from the root does it before this module; an integration test for that reason).
 */
class ImageAotCacheIT {

    /**
     * What {@code run-java.sh} puts before {@code JAVA_OPTS_APPEND} when {@code GC_CONTAINER_OPTIONS} is
     * unset: the default the Dockerfile's own header names.
     */
    static final List<String> ENTRY_POINT_GC_OPTIONS = List.of("-XX:+UseParallelGC");

    /**
     * {@code -Dimage.packages=DIR}: take each service's package from {@code DIR/<service>} instead of its
     * {@code target/quarkus-app} (to check another packaging, e.g. {@code -Dquarkus.package.jar.type=aot-jar}).
     */
    static final String PACKAGES = System.getProperty("image.packages", "");

    /**
     * The one-step training ({@code -XX:AOTCacheOutput}) exists from JDK 25 on; on 21-24 (the build's minimum
     * is 21) the image's step writes no cache and the service must start without one, which is checked then.
     */
    static final boolean WRITES_A_CACHE = Runtime.version().feature() >= 25;

    static List<String> services() {
        return Repo.services().stream()
                .filter(s -> Files.isRegularFile(dockerfileOf(s)))
                .toList();
    }

    static Path dockerfileOf(String service) {
        return Repo.ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageTrainsACacheTheServiceStartsWith(String service, @TempDir Path root) throws Exception {
        Path context = Repo.ROOT.resolve(service);
        Path quarkusApp = PACKAGES.isBlank() ? context.resolve("target/quarkus-app") : Path.of(PACKAGES, service);
        assertThat(quarkusApp.resolve("quarkus-run.jar"))
                .as("%s is not packaged: run ./mvnw verify from the repository root", service).isRegularFile();
        Path deployments = Files.createDirectories(root.resolve("deployments"));
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Dockerfile dockerfile = Dockerfile.parse(Repo.read(dockerfileOf(service)));

        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        int runs = 0;
        for (Dockerfile.Instruction step : dockerfile.instructions()) {
            switch (step.keyword()) {
                case "COPY" -> copy(step.arguments(), context, quarkusApp, deployments);
                case "ENV" -> Dockerfile.envPairs(step)
                        .forEach((k, v) -> env.put(k, inSandbox(v, deployments, tmp)));
                case "RUN" -> {
                    runs++;
                    String output = runShell(inSandbox(step.arguments(), deployments, tmp), env, deployments);
                    assertThat(output).as("the image's RUN step for %s", service)
                            .contains(WRITES_A_CACHE ? "AOT cache written" : "no AOT cache");
                }
                default -> {
                    // FROM, USER, EXPOSE, ENTRYPOINT: nothing to carry out here.
                }
            }
        }
        assertThat(runs).as("RUN steps in %s's Dockerfile.jvm", service).isEqualTo(1);
        if (WRITES_A_CACHE) {
            assertThat(deployments.resolve("app.aot")).isNotEmptyFile();
        } else {
            // The image on an older JDK: no cache, and the start below must not need one.
            assertThat(deployments.resolve("app.aot")).doesNotExist();
        }

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ENTRY_POINT_GC_OPTIONS);
        command.addAll(List.of(env.getOrDefault("JAVA_OPTS_APPEND", "").strip().split("\\s+")));
        if (WRITES_A_CACHE) {
            command.add("-XX:AOTMode=on");
        }
        command.add("-jar");
        command.add(env.get("JAVA_APP_JAR"));
        assertThat(String.join(" ", command)).as("the image's JVM options").contains("-XX:AOTCache=" + deployments.resolve("app.aot"));
        Map<String, String> noBackends = new HashMap<>(env);
        // As in the training run: no PostgreSQL or Vault here, so nothing at start may need them.
        noBackends.putAll(Map.of("KEYLINE_JWT_PUBLIC_KEY_LOCATION", "/dev/null",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/aot-check",
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", "0",
                "QUARKUS_MANAGEMENT_HOST", "127.0.0.1", "QUARKUS_MANAGEMENT_PORT", "0",
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "false"));
        // From another working directory than the training's: the cache must not depend on it.
        String started = startUntil(command, noBackends, root, root.resolve("start.log"), "started in");
        assertThat(started).as("%s started with the image's options (and its cache under -XX:AOTMode=on on JDK 25+)", service).contains("started in");
    }

    /**
     * {@code COPY [--flags] src... dest}: sources relative to the build context ({@code target/quarkus-app}
     * standing for {@code quarkusApp}), a {@code *} in the last name as a glob.
     */
    private static void copy(String arguments, Path context, Path quarkusApp, Path deployments) throws IOException {
        List<String> words = Stream.of(arguments.split("\\s+")).filter(w -> !w.startsWith("--")).toList();
        Path dest = Path.of(words.getLast().replace("/deployments", deployments.toString()));
        Files.createDirectories(dest);
        for (String source : words.subList(0, words.size() - 1)) {
            Path src = source.startsWith("target/quarkus-app/")
                    ? quarkusApp.resolve(source.substring("target/quarkus-app/".length()))
                    : context.resolve(source);
            String name = src.getFileName().toString();
            if (name.contains("*")) {
                try (DirectoryStream<Path> matches = Files.newDirectoryStream(src.getParent(), name)) {
                    for (Path match : matches) {
                        Files.copy(match, dest.resolve(match.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                copyTree(src, dest);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The image's paths, moved into this test's directories (in one pass: those lie below /tmp/ themselves). */
    private static String inSandbox(String text, Path deployments, Path tmp) {
        return Pattern.compile("/deployments|/tmp/").matcher(text).replaceAll(
                m -> Matcher.quoteReplacement(m.group().equals("/deployments") ? deployments.toString() : tmp + "/"));
    }

    private static String runShell(String script, Map<String, String> env, Path dir) throws Exception {
        Path log = dir.resolveSibling("run-step.log");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the RUN step did not finish within 300 s:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("the RUN step's exit code; its output:%n%s", output).isZero();
        return output;
    }

    private static String startUntil(List<String> command, Map<String, String> env, Path dir, Path log, String marker)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                String output = Repo.read(log);
                if (output.contains(marker) || !process.isAlive()) {
                    return output;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + marker + "' within 120 s:\n" + Repo.read(log));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
