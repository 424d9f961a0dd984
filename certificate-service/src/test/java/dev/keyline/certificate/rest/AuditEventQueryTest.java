package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;

/**
 * The audit trail's query parameters (service-common's {@code AuditEventResource}): a value that
 * cannot be read is a 400 naming its parameter, never a 404 or a 500.
 */
@QuarkusTest
class AuditEventQueryTest {

    private static final String EVENTS = "/api/v1/audit-events";

    @Inject
    DataSource dataSource;

    @Test
    void aPageWhoseOffsetOverflowsAnIntIsRefusedNotA500() {
        // 99,999,999 × 500 is past Integer.MAX_VALUE: Hibernate refused the negative offset with a 500.
        given().header("Authorization", READER).queryParam("page", 99_999_999).queryParam("size", 500)
                .when().get(EVENTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"));
    }

    @Test
    void pagesReachAtMostTenThousandEventsDeepAndUntilReadsOlderOnes() {
        // An offset walks every row before it: page 1,000,000 × 500 scanned the whole table per request.
        given().header("Authorization", READER).queryParam("page", 20).queryParam("size", 500)
                .when().get(EVENTS).then().statusCode(200);
        given().header("Authorization", READER).queryParam("page", 21).queryParam("size", 500)
                .when().get(EVENTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"))
                .body("errors[0].reason", containsString("until"));

        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(uniqueName("audit-until"))).when().post("/api/v1/certificates")
                .then().statusCode(201).extract().path("id");
        String created = given().header("Authorization", READER).queryParam("resourceId", id)
                .when().get(EVENTS).then().statusCode(200).extract().path("[0].occurredAt");
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("until", created)
                .when().get(EVENTS)
                .then().statusCode(200).body("action", contains("certificate.create"));
        given().header("Authorization", READER).queryParam("resourceId", id)
                .queryParam("until", Instant.parse(created).minusMillis(1).toString())
                .when().get(EVENTS)
                .then().statusCode(200).body("$", empty());
        given().header("Authorization", READER).queryParam("until", "last week")
                .when().get(EVENTS)
                .then().statusCode(400).body("errors[0].field", equalTo("until"));
    }

    @Test
    void aQueryThatRunsPastTheTimeoutIsStoppedAndTheCallerToldToNarrowIt() throws Exception {
        // statement_timeout counts lock waits too: a lock held elsewhere makes any query "slow" on demand.
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("lock table audit_event in access exclusive mode");
            }
            // Without the timeout this request would wait for the lock this thread holds: fail it at 30 s instead.
            RestAssuredConfig thirtySeconds = RestAssuredConfig.config().httpClient(
                    HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 30_000));
            given().config(thirtySeconds).header("Authorization", READER).queryParam("actor", "nobody")
                    .when().get(EVENTS)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", endsWith("audit-query-too-broad"))
                    .body("errors[0].field", equalTo("since"));
            holder.rollback();
        }
        given().header("Authorization", READER).queryParam("actor", "nobody")
                .when().get(EVENTS).then().statusCode(200);
    }

    @Test
    void anUnknownOutcomeNamesTheParameter() {
        given().header("Authorization", READER).queryParam("outcome", "BOGUS")
                .when().get(EVENTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("outcome"))
                .body("errors[0].reason", containsString("SUCCESS"));
    }

    @Test
    void anUnreadableSinceNamesTheParameter() {
        given().header("Authorization", READER).queryParam("since", "yesterday")
                .when().get(EVENTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("since"))
                .body("errors[0].reason", containsString("ISO-8601"));
    }

    @Test
    void validFiltersStillSelect() {
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(uniqueName("audit-query"))).when().post("/api/v1/certificates")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("outcome", "success")
                .queryParam("since", "2020-01-01T00:00:00Z")
                .when().get(EVENTS)
                .then().statusCode(200).body("action", contains("certificate.create"));
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("outcome", "FAILED")
                .when().get(EVENTS)
                .then().statusCode(200).body("$", empty());
    }
}
