package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * An exchange's audit event (success, denial, failure) is in PostgreSQL's audit_event table before
 * the answer leaves (ExchangeAudit's own autocommitted insert, not the after-the-answer outbox:
 * presenting a certificate is the act this service exists to account for, and moving the write
 * behind the answer measured no faster on this machine), with the caller, the certificate's
 * fingerprint, the outcome and what happened; and a read of the audit trail right after an exchange
 * shows it.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ExchangeAuditTest {

    static MtlsTestServer server;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startServer() throws Exception {
        server = new MtlsTestServer(MtlsTestServer.localhostIdentity(ExchangeResourceTest.SERVER_CA),
                ExchangeResourceTest.SERVER_CA, CertificateFixtures.CLIENT_CA);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void successDenialAndFailureAreInTheTableWhenTheirAnswersArrive() throws Exception {
        String where = "localhost:" + server.port();
        String trusting = ExchangeResourceTest.store("audit-ok", List.of(where), ExchangeResourceTest.SERVER_CA);
        String pinnedElsewhere = ExchangeResourceTest.store("audit-pinned", List.of(where), ExchangeResourceTest.OTHER_CA);
        String narrow = ExchangeResourceTest.store("audit-narrow", List.of("api.example.com"),
                ExchangeResourceTest.SERVER_CA);
        Map<String, Object> body = Map.of("url", "https://" + where + "/audited");

        exchange(trusting, body, 200);
        exchange(narrow, body, 403);
        exchange(pinnedElsewhere, body, 502);

        // Straight from the table, not through the audit endpoint, and without waiting.
        assertThat(rows(trusting)).singleElement().asString()
                .isEqualTo("uma SUCCESS " + fingerprint(trusting) + " " + where + " -> HTTP 200");
        assertThat(rows(narrow)).singleElement().asString()
                .isEqualTo("uma DENIED " + fingerprint(narrow) + " host-not-authorized " + where);
        assertThat(rows(pinnedElsewhere)).singleElement().asString()
                .startsWith("uma FAILED " + fingerprint(pinnedElsewhere) + " " + where + " ");
    }

    @Test
    void theAuditTrailReadRightAfterAnExchangeShowsItsEvent() {
        String where = "localhost:" + server.port();
        String id = ExchangeResourceTest.store("audit-read", List.of(where), ExchangeResourceTest.SERVER_CA);
        for (int i = 0; i < 5; i++) {
            exchange(id, Map.of("url", "https://" + where + "/read-" + i), 200);
            List<Map<String, Object>> events = given().header("Authorization", READER).queryParam("resourceId", id)
                    .queryParam("action", "certificate.exchange").when().get("/api/v1/audit-events").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertThat(events).hasSize(i + 1);
        }
    }

    private static void exchange(String id, Map<String, Object> body, int status) {
        given().header("Authorization", USER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates/" + id + "/exchange").then().statusCode(status);
    }

    private static String fingerprint(String id) {
        return given().header("Authorization", READER).when().get("/api/v1/certificates/" + id)
                .then().statusCode(200).extract().path("sha256Fingerprint");
    }

    private List<String> rows(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select actor, outcome, fingerprints, detail from audit_event "
                        + "where resource_id = ? and action = 'certificate.exchange'")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
                return out;
            }
        }
    }
}
