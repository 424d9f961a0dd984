package dev.keyline.rotation.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.keyline.common.testing.ServiceProcess;

/**
 * One rotation-service process from the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) on
 * ports of its own, sharing the database, Vault and connection-service of a {@link RotationStack}
 * with the other replicas of a test; started, started again, killed (SIGKILL) or stopped (SIGTERM)
 * as the multi-replica tests need. Its worker polls every second and retries fast; each test adds
 * what it varies (lease, concurrency, tracing). Output goes to {@code target/rotation-service-<name>.log},
 * appended across restarts so a restarted replica's log still shows why it was killed.
 */
final class Replica {

    final String name;
    final Path log;
    final int httpPort = ServiceProcess.freePort();
    final int managementPort = ServiceProcess.freePort();
    private final Path jar;
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    volatile Process process;

    /**
     * @param stack the stack's configuration ({@link RotationStack#start()}): database, Vault, connection-service
     * @param settings environment variables of this test (lease, concurrency, tracing), over the common ones
     */
    Replica(String name, Map<String, String> stack, Map<String, String> settings) {
        this.name = name;
        Path target = Path.of("target").toAbsolutePath();
        this.jar = packagedJar();
        this.log = target.resolve("rotation-service-" + name + ".log");
        Path publicKey = RotationStack.copyResource("jwt/test-public-key.pem", target.resolve(name + "-jwt-public-key.pem"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", stack.get("quarkus.datasource.jdbc.url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", stack.get("quarkus.datasource.username"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", stack.get("quarkus.datasource.password"));
        env.put("QUARKUS_VAULT_URL", stack.get("quarkus.vault.url"));
        env.put("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", stack.get("quarkus.vault.authentication.client-token"));
        env.put("CONNECTION_SERVICE_URL", stack.get("quarkus.rest-client.connection-service.url"));
        env.put("KEYLINE_SERVICE_TOKEN_FILE", stack.get("keyline.service-token.file"));
        env.put("CONNECTION_SERVICE_HEALTH_URL", stack.get("rotation-service.connection-service.health-url"));
        env.put("KEYLINE_JWT_PUBLIC_KEY_LOCATION", publicKey.toString());
        env.put("ROTATION_SERVICE_WORKER_ID", name);
        env.put("ROTATION_SERVICE_WORKER_POLL", "1s");
        env.put("ROTATION_SERVICE_WORKER_INITIAL_DELAY", "0s");
        env.put("ROTATION_SERVICE_WORKER_PBKDF2_ITERATIONS", "1000");
        env.put("ROTATION_SERVICE_RETRY_BASE", "PT0.2S");
        env.put("ROTATION_SERVICE_RETRY_MAX", "2S");
        env.putAll(settings);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged jar; call it before starting a stack, so that a missing package fails at once. */
    static Path packagedJar() {
        Path jar = Path.of("target").toAbsolutePath().resolve("quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run this through 'mvn verify' (after package)");
        }
        return jar;
    }

    /** Changes one environment variable for the next {@link #start()}. */
    void set(String variable, String value) {
        env.put(variable, value);
    }

    /** Starts the process and waits until it is ready (fails early if it exits). */
    void start() {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration timeout = Duration.ofSeconds(120);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readyStatus() != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
            }
            E2e.sleep(250);
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGTERM: the replica shuts down gracefully (finishes its steps, releases its leases); does not wait. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL and wait until it is gone. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once readiness answers anything but 200 while the process still runs. */
    boolean awaitNotReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive()) {
            int status = readyStatus();
            if (status != 200 && status != -1) {
                return true;
            }
            E2e.sleep(50);
        }
        return false;
    }

    /** HTTP status of /q/health/ready, -1 when nothing answers. */
    int readyStatus() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {id, state, lease_owner} of a run, read from the database the replicas share: which replica holds it now. */
    static String[] runRow(Map<String, String> stack, String runId) {
        try (Connection c = DriverManager.getConnection(stack.get("quarkus.datasource.jdbc.url"),
                stack.get("quarkus.datasource.username"), stack.get("quarkus.datasource.password"));
                PreparedStatement ps = c.prepareStatement(
                        "select id, state, lease_owner from rotations.rotation_run where id = ?::uuid")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no run " + runId);
                }
                return new String[] { rs.getString(1), rs.getString(2), rs.getString(3) };
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
