package dev.keyline.e2e.keycloak;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keyline.common.testing.ServiceProcess;

/**
 * A real Keycloak from its Maven Central distribution (unpacked into target/keycloak by the build),
 * started the way the tests start PostgreSQL: {@code kc.sh start-dev} on a random port, an in-memory
 * database, and the committed realm {@code keyline} imported at start. Needs a JDK 21+ (the one
 * running the tests).
 */
public final class Keycloak implements AutoCloseable {

    public static final String REALM = "keyline";
    /** The committed realm's confidential client for rotation-service (local and tests only). */
    public static final String ROTATION_CLIENT = "rotation-service";
    public static final String ROTATION_CLIENT_SECRET = "rotation-service-local-secret";
    /** The committed realm's confidential client for the console's sign-in (authorization code + PKCE). */
    public static final String CONSOLE_CLIENT = "keyline-console";
    public static final String CONSOLE_CLIENT_SECRET = "console-local-secret";

    private final ServiceProcess process;
    private final String url;

    private Keycloak(ServiceProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts it; {@link #awaitReady} waits until the realm answers. */
    public static Keycloak start(Path home, Path realm, Path log) {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home
                    + " (the e2e-keycloak build unpacks it: ./mvnw -pl e2e-keycloak -am verify)");
        }
        Path imports = home.resolve("data/import");
        try {
            Files.createDirectories(imports);
            Files.copy(realm, imports.resolve("keyline-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = ServiceProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        ServiceProcess process = ServiceProcess.start("keycloak", List.of(home.resolve("bin/kc.sh").toString(),
                "start-dev", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + ServiceProcess.freePort(), "--hostname=" + url, "--db=dev-mem",
                "--import-realm"),
                Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m"), log);
        return new Keycloak(process, url);
    }

    public Keycloak awaitReady(Duration timeout) {
        process.awaitReady(issuer() + "/.well-known/openid-configuration", timeout);
        return this;
    }

    /** The realm's issuer ({@code iss} of its tokens). */
    public String issuer() {
        return url + "/realms/" + REALM;
    }

    /** The realm's JWKS: what the services verify tokens with. */
    public String jwks() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** A person's access token (password grant through the public client keyline-cli). */
    public String userToken(String username, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "keyline-cli")
                .formParam("username", username).formParam("password", password).when()
                .post(issuer() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    /** A client's own access token (client credentials). */
    public String clientToken(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials").when()
                .post(issuer() + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    @Override
    public void close() {
        process.close();
    }
}
