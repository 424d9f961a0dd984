package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static dev.keyline.connection.ConnectionFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.audit.AuditOutbox;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A connection test's audit event is written after the answer (service-common's AuditOutbox), yet
 * it is in PostgreSQL's audit_event table soon after, with the caller, fingerprint and outcome; and
 * a read of the audit trail right after the test already shows it (read-your-writes on a replica).
 * Every test is still a real login: ten tests, ten logins.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class DeferredAuditTest {

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @Inject
    DataSource dataSource;

    @Inject
    AuditOutbox outbox;

    @Test
    void tenTestsAreTenLoginsAndTheirEventsAreInTheTableSoonAfter() throws Exception {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_AUDIT", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("audit"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        long loginsBefore = logins(user);

        for (int i = 0; i < 10; i++) {
            given().header("Authorization", USER).when().post(BASE + "/" + id + "/test").then().statusCode(200)
                    .body("ok", equalTo(true));
        }
        assertThat(logins(user) - loginsBefore).as("no test result is reused").isEqualTo(10);

        // Straight from the table, not through the audit endpoint (which waits for the outbox).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> rows = rows(id);
        while (rows.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = rows(id);
        }
        assertThat(rows).hasSize(10).allSatisfy(r -> assertThat(r)
                .startsWith("uma SUCCESS " + Fingerprints.spkiSha256(key.getPublic()) + " user=")
                .endsWith(" role=" + ConnectionFixtures.SERVICE_ROLE));
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void theAuditTrailReadRightAfterATestShowsItsEvent() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_AUDIT_READ", key.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("audit-read"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", USER).when().post(BASE + "/" + id + "/test").then().statusCode(200);
            List<Map<String, Object>> events = given().header("Authorization", READER).queryParam("resourceId", id)
                    .queryParam("action", "connection.test").when().get("/api/v1/audit-events").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            assertThat(events).hasSize(i + 1);
        }
    }

    long logins(String user) {
        return snowflake.logins().stream().filter(l -> l.user().equalsIgnoreCase(user)).count();
    }

    List<String> rows(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select actor, outcome, fingerprints, detail from audit_event "
                        + "where resource_id = ? and action = 'connection.test'")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
                return out;
            }
        }
    }
}
