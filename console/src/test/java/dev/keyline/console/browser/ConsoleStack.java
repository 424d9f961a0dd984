package dev.keyline.console.browser;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.keyline.common.testing.ServiceProcess;
import dev.keyline.emulators.postgres.EmbeddedPostgres;
import dev.keyline.emulators.postgres.StaleClusters;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.smallrye.jwt.build.Jwt;

/**
 * The whole system the console talks to, started once for every browser test: an embedded
 * PostgreSQL, the Vault emulator, the Snowflake emulator, the REAL three services from their
 * packaged jars ({@code ../<service>/target/quarkus-app/quarkus-run.jar}, built first by the
 * reactor through this module's pom-type dependencies), and the console from its own jar, each a
 * child process on free ports. Logs go to {@code target/browser-stack/<name>.log}.
 */
final class ConsoleStack implements AutoCloseable {

    static final List<String> AUDIENCES = List.of("certificate-service", "connection-service", "rotation-service");
    static final Set<String> ALL_PERMISSIONS = Set.of("certificates:read", "certificates:use", "certificates:manage",
            "connections:read", "connections:use", "connections:manage", "rotations:read", "rotations:manage");

    /** One child process and how to start it again on the same ports. */
    final class Service {
        final String name;
        final Path jar;
        final Map<String, String> env;
        final int port;
        final int managementPort;
        Process process;

        Service(String name, Path jar, Map<String, String> env) {
            this.name = name;
            this.jar = jar;
            this.env = env;
            this.port = ServiceProcess.freePort();
            this.managementPort = ServiceProcess.freePort();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        void start() {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString());
            pb.environment().putAll(env);
            pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            pb.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            pb.environment().put("SNOWFLAKE_DISABLE_MINICORE", "true");
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitReady(this, Duration.ofSeconds(120));
        }

        /** Stops the process (SIGTERM, then waits): the overview must then mark it down. */
        void stop() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    final Path target;
    final Path logs;
    final EmbeddedPostgres postgres;
    final VaultEmulator vault;
    final SnowflakeEmulator snowflake;
    final Service certificateService;
    final Service connectionService;
    final Service rotationService;
    final Service console;
    final FakeOidcProvider identityProvider;
    private final List<Service> started = new ArrayList<>();

    ConsoleStack() {
        target = Path.of("target").toAbsolutePath();
        logs = target.resolve("browser-stack");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StaleClusters.removeAbandoned(target);
        postgres = EmbeddedPostgres.start(target.resolve(StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8)));
        vault = VaultEmulator.start();
        snowflake = SnowflakeEmulator.start();
        Path publicKey = copyResource("jwt/test-public-key.pem", logs.resolve("jwt-public-key.pem"));

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        common.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        common.put("QUARKUS_VAULT_URL", vault.url());
        common.put("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", vault.token());
        common.put("KEYLINE_JWT_PUBLIC_KEY_LOCATION", publicKey.toString());

        Map<String, String> cert = new LinkedHashMap<>(common);
        cert.put("CERTIFICATE_SERVICE_EGRESS_ALLOW_PRIVATE_ADDRESSES", "true");
        certificateService = new Service("certificate-service", jar("certificate-service"), cert);

        Map<String, String> conn = new LinkedHashMap<>(common);
        conn.put("CONNECTION_SERVICE_SNOWFLAKE_ALLOW_PLAIN_HTTP", "true");
        conn.put("CERTIFICATE_SERVICE_URL", certificateService.url());
        conn.put("CERTIFICATE_SERVICE_HEALTH_URL", certificateService.managementUrl() + "/q/health/ready");
        // Until the caller's token is forwarded to certificate-service, connection-service has one of its own.
        conn.put("CERTIFICATE_SERVICE_TOKEN", serviceToken("connection-service", "certificate-service",
                "certificates:read", "certificates:use", "certificates:manage"));
        conn.put("CONNECTION_SERVICE_CERTIFICATE_SERVICE_REQUIRED_FOR_READINESS", "false");
        connectionService = new Service("connection-service", jar("connection-service"), conn);

        Map<String, String> rot = new LinkedHashMap<>(common);
        String rotationToken = serviceToken("rotation-service", "connection-service", "connections:read",
                "connections:manage", "connections:rotate");
        Path tokenFile = logs.resolve("rotation-service-token");
        try {
            Files.writeString(tokenFile, rotationToken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rot.put("CONNECTION_SERVICE_URL", connectionService.url());
        rot.put("CONNECTION_SERVICE_HEALTH_URL", connectionService.managementUrl() + "/q/health/ready");
        // Its service identity: a token file (the short-lived kind) and, for builds before that, the variable.
        rot.put("KEYLINE_SERVICE_TOKEN_FILE", tokenFile.toString());
        rot.put("CONNECTION_SERVICE_TOKEN", rotationToken);
        rotationService = new Service("rotation-service", jar("rotation-service"), rot);

        identityProvider = new FakeOidcProvider("keyline-console", "console-secret-for-tests", "olivia", ALL_PERMISSIONS);
        Map<String, String> con = new LinkedHashMap<>();
        // Both sign-ins: the provider's authorization-code flow, and the token paste the other tests use.
        con.put("CONSOLE_OIDC_ISSUER", identityProvider.issuer());
        con.put("CONSOLE_OIDC_CLIENT_ID", identityProvider.clientId);
        con.put("CONSOLE_OIDC_CLIENT_SECRET", identityProvider.clientSecret);
        con.put("CONSOLE_OIDC_ONLY", "false");
        con.put("CERTIFICATE_SERVICE_URL", certificateService.url());
        con.put("CERTIFICATE_SERVICE_MANAGEMENT_URL", certificateService.managementUrl());
        con.put("CONNECTION_SERVICE_URL", connectionService.url());
        con.put("CONNECTION_SERVICE_MANAGEMENT_URL", connectionService.managementUrl());
        con.put("ROTATION_SERVICE_URL", rotationService.url());
        con.put("ROTATION_SERVICE_MANAGEMENT_URL", rotationService.managementUrl());
        con.put("CONSOLE_SECURE_COOKIE", "false");
        console = new Service("console", target.resolve("quarkus-app/quarkus-run.jar"), con);

        for (Service s : List.of(certificateService, connectionService, rotationService, console)) {
            s.start();
            started.add(s);
        }
    }

    /** A person's token for every service (aud names all three), holding {@code permissions}. */
    static String personToken(String subject, Set<String> permissions) {
        Instant now = Instant.now();
        return Jwt.issuer("keyline").subject(subject).upn(subject).audience(Set.copyOf(AUDIENCES)).groups(permissions)
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).sign("jwt/test-private-key.pem");
    }

    private static String serviceToken(String subject, String audience, String... permissions) {
        Instant now = Instant.now();
        return Jwt.issuer("keyline").subject(subject).upn(subject).audience(audience).groups(Set.of(permissions))
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).sign("jwt/test-private-key.pem");
    }

    private Path jar(String service) {
        Path jar = target.getParent().resolve("../" + service + "/target/quarkus-app/quarkus-run.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(service + " is not packaged: " + jar
                    + " is missing (./mvnw -pl console -am verify builds it first)");
        }
        return jar;
    }

    private void awaitReady(Service s, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create(s.managementUrl() + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!s.process.isAlive()) {
                throw new IllegalStateException(s.name + " exited with " + s.process.exitValue() + "; see "
                        + logs.resolve(s.name + ".log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
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
        throw new IllegalStateException(s.name + " not ready after " + timeout + "; see " + logs.resolve(s.name + ".log"));
    }

    private static Path copyResource(String name, Path to) {
        try (InputStream in = ConsoleStack.class.getClassLoader().getResourceAsStream(name)) {
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
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Service s = started.get(i);
            if (s.process != null && s.process.isAlive()) {
                s.stop();
            }
        }
        identityProvider.close();
        snowflake.close();
        vault.close();
        postgres.close();
    }
}
