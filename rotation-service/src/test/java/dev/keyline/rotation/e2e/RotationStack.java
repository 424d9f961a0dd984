package dev.keyline.rotation.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.keyline.common.testing.ServiceProcess;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.postgres.EmbeddedPostgres;
import dev.keyline.emulators.postgres.StaleClusters;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.emulators.vault.VaultEmulatorResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything the rotation-service talks to, started once for all Quarkus tests: an embedded
 * PostgreSQL (shared by both services, one schema each), a Vault emulator for rotation-service and
 * another for connection-service (so Vault faults can hit one service only), the Snowflake emulator,
 * and the REAL connection-service launched from its packaged jar as a child process.
 *
 * <p>The jar is {@code ../connection-service/target/quarkus-app/quarkus-run.jar} unless
 * {@code KEYLINE_CONNECTION_SERVICE_JAR} names another; Maven builds connection-service first
 * (this module's pom-type test dependency on it).
 */
public class RotationStack implements QuarkusTestResourceLifecycleManager {

    /** What tests get injected (field of this type). */
    public record Handles(SnowflakeEmulator snowflake, VaultEmulator rotationVault, VaultEmulator connectionVault,
            String connectionServiceUrl, String connectionServiceToken, ConnectionServiceProcess connectionService) {
    }

    /** The connection-service child process, for tests that crash it mid-run. */
    public interface ConnectionServiceProcess {
        /** SIGKILL (no shutdown hooks, in-flight requests die with it), then wait until it is gone. */
        void kill();

        /** Starts it again on the same ports and waits until it is ready. */
        void restart();

        boolean alive();

        /**
         * SIGSTOP: the process stays, its sockets keep accepting connections (the kernel completes the handshake)
         * and nothing answers: a wedged connection-service, as a caller sees it. {@link #resume} undoes it.
         */
        void pause();

        /** SIGCONT after {@link #pause}. */
        void resume();
    }

    /** Added to connection-service's environment by a test that starts the stack itself (tracing on, say). */
    public static final Map<String, String> CONNECTION_SERVICE_ENV = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Init arg: {@code "true"} holds each service to its shipped Vault policy
     * (deploy/vault/policies/&lt;service&gt;.hcl), logging in through Kubernetes auth with a JWT file,
     * instead of giving it the emulator's root token.
     */
    public static final String SHIPPED_VAULT_POLICIES = "shipped-vault-policies";

    private boolean shippedPolicies;
    private EmbeddedPostgres postgres;
    private VaultEmulator rotationVault;
    private VaultEmulator connectionVault;
    private SnowflakeEmulator snowflake;
    private Process connectionService;
    private Handles handles;

    @Override
    public void init(Map<String, String> initArgs) {
        shippedPolicies = Boolean.parseBoolean(initArgs.get(SHIPPED_VAULT_POLICIES));
    }

    /** An emulator for {@code service}: root token only, or its shipped policy behind a Kubernetes role. */
    private VaultEmulator startVault(String service) {
        if (!shippedPolicies) {
            return VaultEmulator.start();
        }
        return VaultEmulator.start(new VaultEmulator.Config()
                .policyFile(service, Path.of("../deploy/vault/policies/" + service + ".hcl"))
                .kubernetesRole(service, jwt(service), service));
    }

    private static String jwt(String service) {
        return "serviceaccount-jwt-" + service;
    }

    /** The Kubernetes-auth settings for {@code service}, with its JWT written to a file in target/. */
    private Map<String, String> kubernetesAuth(Path target, String service) {
        Path jwtFile = target.resolve(service + "-serviceaccount-jwt");
        try {
            Files.writeString(jwtFile, jwt(service));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return VaultEmulatorResource.kubernetesAuthProperties(service, jwtFile);
    }

    @Override
    public Map<String, String> start() {
        Path target = Path.of("target").toAbsolutePath();
        StaleClusters.removeAbandoned(target);
        try {
            Files.deleteIfExists(target.resolve("connection-service-e2e.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = EmbeddedPostgres.start(target.resolve(StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8)));
        rotationVault = startVault("rotation-service");
        connectionVault = startVault("connection-service");
        snowflake = SnowflakeEmulator.start();
        int httpPort = ServiceProcess.freePort();
        int managementPort = ServiceProcess.freePort();
        String csUrl = "http://127.0.0.1:" + httpPort;
        connectionService = launchConnectionService(target, httpPort, managementPort);
        String readyUrl = "http://127.0.0.1:" + managementPort + "/q/health/ready";
        awaitReady(readyUrl, Duration.ofSeconds(90));
        // rotation-service's scheduled identity (connections:rotate and nothing else, issue #10), the way a
        // Kubernetes projected token reaches it: a file (service-common's ServiceToken re-reads it when it
        // changes), audience connection-service.
        String token = TestTokens.mint("rotation-service", "connections:rotate").audience("connection-service").token();
        Path tokenFile = target.resolve("rotation-service-token");
        try {
            Files.writeString(tokenFile, token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConnectionServiceProcess control = new ConnectionServiceProcess() {
            @Override
            public synchronized void kill() {
                connectionService.destroyForcibly();
                try {
                    connectionService.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public synchronized void restart() {
                if (connectionService.isAlive()) {
                    throw new IllegalStateException("connection-service is still running");
                }
                connectionService = launchConnectionService(target, httpPort, managementPort);
                awaitReady(readyUrl, Duration.ofSeconds(120));
            }

            @Override
            public boolean alive() {
                return connectionService.isAlive();
            }

            @Override
            public synchronized void pause() {
                signal("STOP");
            }

            @Override
            public synchronized void resume() {
                signal("CONT");
            }

            private void signal(String name) {
                try {
                    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(connectionService.pid()))
                            .inheritIO().start();
                    if (kill.waitFor() != 0) {
                        throw new IllegalStateException("kill -" + name + " failed");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
        handles = new Handles(snowflake, rotationVault, connectionVault, csUrl, token, control);

        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("quarkus.vault.url", rotationVault.url());
        if (shippedPolicies) {
            config.putAll(kubernetesAuth(target, "rotation-service"));
        } else {
            config.put("quarkus.vault.authentication.client-token", rotationVault.token());
        }
        config.put("quarkus.rest-client.connection-service.url", csUrl);
        config.put("keyline.service-token.file", tokenFile.toString());
        config.put("rotation-service.connection-service.health-url",
                "http://127.0.0.1:" + managementPort + "/q/health/ready");
        config.put("keyline.test.snowflake.url", snowflake.url());
        return config;
    }

    /** What {@link #inject} gives a Quarkus test, for a test that starts the stack itself (the replica ITs). */
    public Handles handles() {
        return handles;
    }

    private Process launchConnectionService(Path target, int httpPort, int managementPort) {
        String configured = System.getenv("KEYLINE_CONNECTION_SERVICE_JAR");
        Path jar = configured != null ? Path.of(configured)
                : target.getParent().resolve("../connection-service/target/quarkus-app/quarkus-run.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("connection-service is not packaged: " + jar
                    + " is missing (build it: ./mvnw -pl connection-service package -DskipTests)");
        }
        Path publicKey = copyResource("jwt/test-public-key.pem", target.resolve("cs-jwt-public-key.pem"));
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_VAULT_URL", connectionVault.url());
        if (shippedPolicies) {
            kubernetesAuth(target, "connection-service").forEach((key, value) -> env.put(
                    key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        } else {
            env.put("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", connectionVault.token());
        }
        env.put("KEYLINE_JWT_PUBLIC_KEY_LOCATION", publicKey.toString());
        env.put("CONNECTION_SERVICE_SNOWFLAKE_ALLOW_PLAIN_HTTP", "true");
        env.put("SNOWFLAKE_DISABLE_MINICORE", "true");
        env.putAll(CONNECTION_SERVICE_ENV);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve("connection-service-e2e.log").toFile()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(String url, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!connectionService.isAlive()) {
                throw new IllegalStateException("connection-service exited with " + connectionService.exitValue()
                        + "; see target/connection-service-e2e.log");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("connection-service not ready after " + timeout + "; see target/connection-service-e2e.log");
    }

    static Path copyResource(String name, Path to) {
        try (InputStream in = RotationStack.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(handles, new TestInjector.MatchesType(Handles.class));
    }

    @Override
    public void stop() {
        if (connectionService != null) {
            connectionService.destroy();
            try {
                connectionService.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (snowflake != null) {
            snowflake.close();
        }
        if (rotationVault != null) {
            rotationVault.close();
        }
        if (connectionVault != null) {
            connectionVault.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
