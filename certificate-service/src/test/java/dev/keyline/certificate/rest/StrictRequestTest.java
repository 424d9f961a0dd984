package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests a hostile-input probe found answered with a 500 or read as something else than they
 * said: each is a 4xx problem naming what is wrong (service-common's checks, as this service runs them).
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class StrictRequestTest {

    static final String BASE = "/api/v1/certificates";
    static final String PROBLEM = "urn:keyline:problem:";

    @Test
    void aNulInATextFilterIs400NamingTheParameter() {
        given().header("Authorization", READER).queryParam("name", "\u0000").when().get(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name")).body("errors[0].reason", containsString("control"));
        for (String filter : new String[] { "actor", "action", "resourceId" }) {
            given().header("Authorization", READER).queryParam(filter, "a\u0000b").when().get("/api/v1/audit-events")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(filter));
        }
    }

    @Test
    void anInstantBeyondPostgresIs400NamingTheParameter() {
        for (String since : new String[] { "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z" }) {
            given().header("Authorization", READER).queryParam("since", since).when().get("/api/v1/audit-events")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("since"));
        }
    }

    @Test
    void ifMatchIsAStrongEntityTag() {
        String id = CertificateResourceTest.create(body(uniqueName("strict-if-match")));
        Map<String, Object> change = body(uniqueName("strict-if-match"));
        change.remove("clientCertificate");
        change.remove("clientKey");
        change.remove("passphrase");
        given().header("Authorization", MANAGER).header("If-Match", "W/\"1\"").contentType(ContentType.JSON)
                .body(change).when().put(BASE + "/" + id)
                .then().statusCode(412).contentType("application/problem+json");
        for (String notATag : new String[] { "1", "\"1" }) {
            given().header("Authorization", MANAGER).header("If-Match", notATag).contentType(ContentType.JSON)
                    .body(change).when().put(BASE + "/" + id)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("If-Match"));
        }
    }

    @Test
    void aSemicolonInThePathIsRefusedNotReadAsMatrixParameters() {
        String id = CertificateResourceTest.create(body(uniqueName("strict-matrix")));
        given().urlEncodingEnabled(false).header("Authorization", USER).header("Keyline-Via", "connection-service")
                .contentType(ContentType.JSON).body(Map.of("name", "Matrix API", "service", "connection-service"))
                .when().put(BASE + "/" + id + "/consumers/a;b")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "invalid-request")).body("errors[0].field", equalTo("path"));
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("consumers", empty());
    }

    @Test
    void aValueOfAnotherJsonTypeIsRefusedNamingTheField() {
        Map<String, Object> numericName = body(uniqueName("strict-json"));
        numericName.put("name", 123);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(numericName).when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name")).body("errors[0].reason", equalTo("expected string"));
    }
}
