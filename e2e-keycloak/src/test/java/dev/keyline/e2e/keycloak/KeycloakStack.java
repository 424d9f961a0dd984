package dev.keyline.e2e.keycloak;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.keyline.common.testing.OtlpReceiver;
import dev.keyline.common.testing.ServiceProcess;
import dev.keyline.emulators.postgres.EmbeddedPostgres;
import dev.keyline.emulators.postgres.StaleClusters;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Pkcs8;
import io.restassured.http.ContentType;

/**
 * The system every IT of this module runs against, started once per test JVM (Keycloak and three
 * services take minutes on a busy machine): Keycloak (its Maven Central distribution) with the
 * committed realm {@code keyline} issuing every token, each service verifying them through the
 * realm's JWKS; an embedded PostgreSQL, the Vault and Snowflake emulators; a local OTLP receiver
 * every service exports its spans to; and the three services from their packaged jars. They log
 * JSON lines (the production profile) to {@code target/<service>-e2e.log}, with keyline's own
 * DEBUG lines, so a test can read every line a request wrote.
 *
 * <p>A test class registers {@link Shared} as a static {@code @RegisterExtension}; the stack is
 * kept in JUnit's root store and stopped after the last class.
 */
final class KeycloakStack implements AutoCloseable {

    /** The Snowflake emulator's account the tests' connections use. */
    static final String ACCOUNT = "ACME";

    /** The extension that starts the stack for the first class that asks and hands it to the others. */
    static final class Shared implements BeforeAllCallback {
        private KeycloakStack stack;

        @Override
        public void beforeAll(ExtensionContext context) {
            stack = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(KeycloakStack.class, k -> new KeycloakStack(), KeycloakStack.class);
        }

        KeycloakStack get() {
            return stack;
        }
    }

    final Path target;
    final Path repo;
    final Keycloak keycloak;
    final SnowflakeEmulator snowflake;
    final OtlpReceiver otlp;
    final String certificateUrl;
    final String certificateManagementUrl;
    final String connectionUrl;
    final String connectionManagementUrl;
    final String rotationUrl;
    final String rotationManagementUrl;
    private final EmbeddedPostgres postgres;
    private final VaultEmulator vault;
    private final List<AutoCloseable> started = new ArrayList<>();

    private KeycloakStack() {
        target = Path.of("target").toAbsolutePath();
        repo = target.getParent().getParent();
        StaleClusters.removeAbandoned(target);
        try {
            // Keycloak boots while everything else starts: nothing below needs it before the first request.
            keycloak = started(Keycloak.start(Path.of(System.getProperty("keyline.keycloak.home")),
                    Path.of(System.getProperty("keyline.keycloak.realm")), target.resolve("keycloak-e2e.log")));
            postgres = started(EmbeddedPostgres
                    .start(target.resolve(StaleClusters.PREFIX + UUID.randomUUID().toString().substring(0, 8))));
            vault = started(VaultEmulator.start());
            snowflake = started(SnowflakeEmulator.start());
            try {
                otlp = started(new OtlpReceiver());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }

            Map<String, String> common = new HashMap<>();
            common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            common.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            common.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            common.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            common.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            common.put("QUARKUS_VAULT_URL", vault.url());
            common.put("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN", vault.token());
            // The only token settings: Keycloak's realm is the issuer, its JWKS the keys.
            common.put("KEYLINE_JWT_ISSUER", keycloak.issuer());
            common.put("KEYLINE_JWT_PUBLIC_KEY_LOCATION", keycloak.jwks());
            // Traces to the local receiver; keyline's DEBUG lines (still JSON) for the log-context checks.
            common.putAll(otlp.serviceEnv());
            common.put("QUARKUS_LOG_CATEGORY__DEV_KEYLINE__LEVEL", "DEBUG");

            int[] certificatePorts = { ServiceProcess.freePort(), ServiceProcess.freePort() };
            Map<String, String> env = new HashMap<>(common);
            env.putAll(ports(certificatePorts));
            env.put("CERTIFICATE_SERVICE_EGRESS_ALLOW_PRIVATE_ADDRESSES", "true");
            ServiceProcess certificateService = started(ServiceProcess.startJar("certificate-service",
                    jar("certificate-service"), env, log("certificate-service")));
            certificateUrl = "http://127.0.0.1:" + certificatePorts[0];
            certificateManagementUrl = "http://127.0.0.1:" + certificatePorts[1];

            int[] connectionPorts = { ServiceProcess.freePort(), ServiceProcess.freePort() };
            env = new HashMap<>(common);
            env.putAll(ports(connectionPorts));
            env.put("CONNECTION_SERVICE_SNOWFLAKE_ALLOW_PLAIN_HTTP", "true");
            env.put("CERTIFICATE_SERVICE_URL", certificateUrl);
            env.put("CERTIFICATE_SERVICE_HEALTH_URL", certificateManagementUrl + "/q/health/ready");
            env.put("SNOWFLAKE_DISABLE_MINICORE", "true");
            ServiceProcess connectionService = started(ServiceProcess.startJar("connection-service",
                    jar("connection-service"), env, log("connection-service")));
            connectionUrl = "http://127.0.0.1:" + connectionPorts[0];
            connectionManagementUrl = "http://127.0.0.1:" + connectionPorts[1];

            int[] rotationPorts = { ServiceProcess.freePort(), ServiceProcess.freePort() };
            env = new HashMap<>(common);
            env.putAll(ports(rotationPorts));
            env.put("CONNECTION_SERVICE_URL", connectionUrl);
            env.put("CONNECTION_SERVICE_HEALTH_URL", connectionManagementUrl + "/q/health/ready");
            // rotation-service's own identity: client credentials at the realm, never a configured token.
            env.put("KEYLINE_OIDC_ISSUER", keycloak.issuer());
            env.put("KEYLINE_OIDC_CLIENT_ID", Keycloak.ROTATION_CLIENT);
            env.put("KEYLINE_OIDC_CLIENT_SECRET", Keycloak.ROTATION_CLIENT_SECRET);
            env.put("ROTATION_SERVICE_WORKER_POLL", "1s");
            env.put("ROTATION_SERVICE_WORKER_INITIAL_DELAY", "0s");
            env.put("ROTATION_SERVICE_WORKER_PBKDF2_ITERATIONS", "1000");
            ServiceProcess rotationService = started(ServiceProcess.startJar("rotation-service",
                    jar("rotation-service"), env, log("rotation-service")));
            rotationUrl = "http://127.0.0.1:" + rotationPorts[0];
            rotationManagementUrl = "http://127.0.0.1:" + rotationPorts[1];

            Duration patience = Duration.ofSeconds(180);
            // Keycloak's first start on a fresh unpack re-builds itself (minutes on a busy machine).
            keycloak.awaitReady(Duration.ofMinutes(10));
            certificateService.awaitReady(certificateManagementUrl + "/q/health/ready", patience);
            connectionService.awaitReady(connectionManagementUrl + "/q/health/ready", patience);
            rotationService.awaitReady(rotationManagementUrl + "/q/health/ready", patience);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Where {@code service} (a service or the console) writes its output. */
    Path log(String service) {
        return target.resolve(service + "-e2e.log");
    }

    /** A packaged Quarkus application of this repository ({@code <module>/target/quarkus-app}). */
    Path jar(String module) {
        return repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** A person's access token from the realm (password grant). */
    String bearer(String username, String password) {
        return "Bearer " + keycloak.userToken(username, password);
    }

    /** alice holds every person's permission in the committed realm. */
    String alice() {
        return bearer("alice", "alice-local");
    }

    /** A connection created at connection-service with {@code bearer}; its id. */
    String createConnection(String bearer, Map<String, Object> body) {
        return given().baseUri(connectionUrl).header("Authorization", bearer).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/connections").then().statusCode(201).extract().path("id");
    }

    /** The body creating a key-pair connection for {@code user} of the emulator's account {@value #ACCOUNT}. */
    Map<String, Object> snowflakeConnectionBody(String name, String user, String role, PrivateKey key,
            String keyAdminConnectionId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "snowflake");
        details.put("account", ACCOUNT.toLowerCase());
        details.put("host", snowflake.url());
        details.put("user", user);
        details.put("role", role);
        details.put("warehouse", "COMPUTE_WH");
        details.put("authType", "key-pair");
        details.put("privateKey", Pkcs8.toPem(key));
        if (keyAdminConnectionId != null) {
            details.put("keyAdminConnectionId", keyAdminConnectionId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name + "-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("timeoutSecs", 20);
        body.put("details", details);
        return body;
    }

    static Map<String, String> ports(int[] ports) {
        return Map.of("QUARKUS_HTTP_PORT", Integer.toString(ports[0]), "QUARKUS_MANAGEMENT_PORT",
                Integer.toString(ports[1]));
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.add(resource);
        return resource;
    }

    /** Stops what was started, services first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
        started.clear();
    }
}
