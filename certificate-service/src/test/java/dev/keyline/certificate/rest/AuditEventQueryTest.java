package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The audit trail's query parameters (service-common's {@code AuditEventResource}): a value that
 * cannot be read is a 400 naming its parameter, never a 404 or a 500.
 */
@QuarkusTest
class AuditEventQueryTest {

    private static final String EVENTS = "/api/v1/audit-events";

    @Test
    void aPageWhoseOffsetOverflowsAnIntIsRefusedNotA500() {
        // 99,999,999 × 500 is past Integer.MAX_VALUE: Hibernate refused the negative offset with a 500.
        given().header("Authorization", READER).queryParam("page", 99_999_999).queryParam("size", 500)
                .when().get(EVENTS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"));
        given().header("Authorization", READER).queryParam("page", 1_000_000).queryParam("size", 500)
                .when().get(EVENTS)
                .then().statusCode(200).body("$", empty());
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
