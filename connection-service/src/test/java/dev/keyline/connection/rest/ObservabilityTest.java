package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.net.URL;
import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Health, metrics and OpenAPI answer where the deployment and dashboards look for them. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ObservabilityTest {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    @AfterEach
    void certificateServiceUp() {
        certificates.readyStatus(200);
    }

    @Test
    void readinessChecksPostgresVaultAndTheWorkPoolsButNotCertificateService() {
        given().when().get(live).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("vault", "Database connections health check", "work-keys", "work-snowflake"))
                .body("checks.name", not(hasItem("certificate-service")))
                .body("checks.find { it.name == 'work-snowflake' }.data.threads", equalTo(16))
                .body("checks.find { it.name == 'work-snowflake' }.data.queueCapacity", equalTo(64));
        awaitPeer("up");
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_peer_up{peer=\"certificate-service\"} 1.0"))
                .body(containsString("keyline_work_queued{pool=\"snowflake\"}"))
                .body(containsString("keyline_work_rejected_total{pool=\"keys\"}"))
                .body(containsString("keyline_http_bodies_buffered_bytes "))
                .body(containsString("keyline_http_bodies_refused_total{reason=\"share\"}"))
                .body(containsString("keyline_http_bodies_refused_total{reason=\"budget\"}"));
    }

    @Test
    void staysReadyAndTestsSnowflakeWhileCertificateServiceIsDownWhoseOperationsAnswer503() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_PEER_DOWN", key.getPublic());
        String snowflakeId = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(
                ConnectionFixtures.uniqueName("peer-down"), user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        String certificateId = UUID.randomUUID().toString();
        // Saving a connector asks certificate-service whether the certificate covers the base URL.
        certificates.authorize(certificateId, "api.partner.test:443");
        certificates.problem(certificateId, 503, "vault-unavailable", "The secret store is unavailable");
        String apiId = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("name", ConnectionFixtures.uniqueName("peer-down-api"), "details",
                        Map.of("type", "api", "baseUrl", "https://api.partner.test/", "certificateId", certificateId)))
                .when().post(BASE).then().statusCode(201).extract().path("id");

        certificates.readyStatus(503);
        awaitPeer("down");

        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItem("certificate-service")));
        given().when().get(health).then().statusCode(200)
                .body("checks.find { it.name == 'certificate-service' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'certificate-service' }.data.error", equalTo("not ready (HTTP 503)"));
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_peer_up{peer=\"certificate-service\"} 0.0"));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + snowflakeId + "/test")
                .then().statusCode(200).body("ok", equalTo(true));
        // The caller's own certificates:use travels with the exchange (delegation).
        given().header("Authorization", TestTokens.bearer("carl", dev.keyline.connection.Permissions.USE,
                CertificateServiceStub.USE)).when().post(BASE + "/" + apiId + "/test")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:certificate-service-unavailable"));
    }

    /** Waits until the background probe has seen certificate-service as {@code state}. */
    private void awaitPeer(String state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = given().when().get(health).then().extract()
                    .path("checks.find { it.name == 'certificate-service' }.data.peer");
            if (state.equals(seen)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("certificate-service peer state stayed " + seen + ", expected " + state);
    }

    @Test
    void testLatencyAndFailuresArePublished() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_METRICS", null);
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("metrics"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(422);
        snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey(key.getPublic());
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(200);

        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_connection_test_seconds_bucket{"))
                .body(containsString("outcome=\"ok\""))
                .body(containsString("outcome=\"snowflake-jwt-rejected\""))
                .body(containsString("keyline_connection_test_failures_total{error=\"snowflake-jwt-rejected\",type=\"snowflake\"}"));
    }

    @Test
    void openApiDescribesTheApiWithoutExamplesOfSecrets() {
        given().queryParam("format", "json").when().get(openapi).then().statusCode(200)
                .body("paths", hasKey("/api/v1/connections"))
                .body("paths", hasKey("/api/v1/connections/{id}/key-slots/{slot}"))
                .body("paths", hasKey("/api/v1/connections/{id}/credentials"))
                .body(not(containsString("BEGIN PRIVATE KEY")));
    }
}
