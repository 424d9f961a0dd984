package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.LogCapture;
import dev.keyline.connection.ConnectionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A failed Snowflake login is one line of connection-service's saying whose login it was and why, at INFO when
 * it is the connection's configuration and WARN when Snowflake or the way to it failed; the driver's SEVERE lines
 * (one per attempt, without the account) are off.
 */
@QuarkusTest
class SnowflakeFailureLogTest extends SnowflakeKeyFixture {

    private static final String GATEWAY = "dev.keyline.connection.snowflake.SnowflakeGateway";

    @Test
    void aRefusedLoginIsOneInfoLineNamingTheUserAndNoDriverSevere() {
        KeyPair registered = ConnectionFixtures.newKey();
        KeyPair wrong = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_LOGGED", registered.getPublic());
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("logged"), user,
                        ConnectionFixtures.pkcs8Pem(wrong.getPrivate()), null, null))
                .when().post(BASE).then().statusCode(201).body("testLogin.ok", equalTo(false)).extract().path("id");
        List<LogRecord> records;
        try (LogCapture capture = LogCapture.of(r -> r.getLoggerName().equals(GATEWAY)
                || r.getLoggerName().startsWith("net.snowflake") && r.getLevel().intValue() >= Level.WARNING.intValue())) {
            records = capture.records();
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(422);
        }
        assertThat(records).as("the driver's WARN/SEVERE lines").noneMatch(r -> r.getLoggerName().startsWith("net.snowflake"));
        List<LogRecord> ours = records.stream().filter(r -> r.getLoggerName().equals(GATEWAY)).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(LogCapture.formatted(ours.get(0))).contains("user " + user).contains("account acme")
                .contains("JWT_REJECTED").contains("390144").doesNotContain("PRIVATE KEY");
    }

    @Test
    void anUnreachableHostIsOneWarnLineNamingTheEndpoint() {
        KeyPair key = ConnectionFixtures.newKey();
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("logged-nowhere"),
                "svc_x", ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
        body.put("timeoutSecs", 1);
        ConnectionFixtures.details(body).put("host", "http://127.0.0.1:1");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).extract().path("id");
        List<LogRecord> records;
        try (LogCapture capture = LogCapture.of(r -> r.getLoggerName().equals(GATEWAY)
                || r.getLoggerName().startsWith("net.snowflake") && r.getLevel().intValue() >= Level.WARNING.intValue())) {
            records = capture.records();
            given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test").then().statusCode(502);
        }
        assertThat(records).as("the driver's WARN/SEVERE lines").noneMatch(r -> r.getLoggerName().startsWith("net.snowflake"));
        List<LogRecord> ours = records.stream().filter(r -> r.getLoggerName().equals(GATEWAY)).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(LogCapture.formatted(ours.get(0))).contains("http://127.0.0.1:1").contains("UNREACHABLE")
                .contains("connection refused");
    }
}
