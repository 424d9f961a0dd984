package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.net.URL;
import java.security.KeyPair;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics and OpenAPI answer where the deployment and dashboards look for them. */
@QuarkusTest
class ObservabilityTest {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    @BeforeAll
    static void guard() {
        SecretLeakGuard.install();
    }

    @AfterEach
    void certificateServiceUp() {
        certificates.readyStatus(200);
    }

    @Test
    void readinessChecksPostgresVaultAndReportsCertificateService() {
        given().when().get(live).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("vault", "Database connections health check", "certificate-service"))
                .body("checks.find { it.name == 'certificate-service' }.data.reachable", equalTo(true));
        // Not required in this profile: reported, but the service stays ready.
        certificates.readyStatus(503);
        given().when().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'certificate-service' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'certificate-service' }.data.reachable", equalTo(false))
                .body("checks.find { it.name == 'certificate-service' }.data.required", equalTo(false));
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
