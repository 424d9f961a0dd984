package dev.keyline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** The repository's deploy/ directory and the kubectl that renders it. */
final class Repo {

    static final Path ROOT = findRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    static final Path MONITORING = DEPLOY.resolve("monitoring");
    static final Path VAULT = DEPLOY.resolve("vault");
    static final Path README = DEPLOY.resolve("README.md");

    private Repo() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("deploy/kubernetes"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (mvnw + deploy/kubernetes) above " + dir);
    }

    /** Services with a kustomize base: the directories listed by deploy/kubernetes/base/kustomization.yaml. */
    static List<String> services() {
        List<String> services = new ArrayList<>();
        try (var dirs = Files.list(KUBERNETES.resolve("base"))) {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(services::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(services).as("services under deploy/kubernetes/base").contains("certificate-service");
        return services;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code kubectl kustomize <dir>} offline. Skips (not passes) the calling test only when kubectl is
     * not installed at all; any kubectl error fails it.
     */
    static String kustomize(Path dir) {
        Assumptions.assumeTrue(kubectlPresent(),
                "kubectl is not on PATH: cannot render " + ROOT.relativize(dir) + " (install kubectl to run this check)");
        return run(List.of("kubectl", "kustomize", dir.toString()), null).stdout();
    }

    static boolean kubectlPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command, failing the test on a non-zero exit unless {@code env} asks to keep going. */
    static Result run(List<String> command, java.util.Map<String, String> env) {
        Result result = runAllowingFailure(command, env);
        assertThat(result.exitCode()).as("%s failed:%n%s", String.join(" ", command), result.stderr()).isZero();
        return result;
    }

    static Result runAllowingFailure(List<String> command, java.util.Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
            if (env != null) {
                pb.environment().putAll(env);
            }
            Path out = Files.createTempFile("deploy-validation", ".out");
            Path err = Files.createTempFile("deploy-validation", ".err");
            try {
                Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
