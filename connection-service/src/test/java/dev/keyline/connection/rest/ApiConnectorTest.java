package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.Permissions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * API connectors are tested through certificate-service's exchange (here a stand-in that verifies
 * the token like the real one), so the client certificate's key never leaves certificate-service.
 * The exchange is made for the caller, with the caller's own token: connection-service has no
 * authority of its own at certificate-service.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ApiConnectorTest {

    static final String PROBLEM = "urn:keyline:problem:";
    /** May test connectors and present certificates: what an API connector test needs. */
    static final String CONNECTOR_USER = TestTokens.bearer("carl", Permissions.USE, CertificateServiceStub.USE);

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    static Map<String, Object> apiBody(String name, String baseUrl, String certificateId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", "api");
        details.put("baseUrl", baseUrl);
        if (certificateId != null) {
            details.put("certificateId", certificateId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("details", details);
        return body;
    }

    String connector(String certificateId) {
        if (certificateId != null) {
            certificates.authorize(certificateId, "api.partner.test:443");
        }
        return ConnectionFixtures.create(apiBody(ConnectionFixtures.uniqueName("api"), "https://API.partner.test/v1/",
                certificateId));
    }

    @Test
    void createStoresTheConnectorWithoutVault() {
        String certificateId = UUID.randomUUID().toString();
        certificates.authorize(certificateId, "api.partner.test:443");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(apiBody(ConnectionFixtures.uniqueName("api"), "https://API.partner.test/v1/", certificateId))
                .when().post(BASE)
                .then().statusCode(201)
                .body("details.type", equalTo("api"))
                .body("details.baseUrl", equalTo("https://api.partner.test/v1/"))
                .body("details.certificateId", equalTo(certificateId))
                .body("details", not(org.hamcrest.Matchers.hasKey("account")))
                .body("$", not(org.hamcrest.Matchers.hasKey("testLogin")))
                .extract().path("id");
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("details.type", equalTo("api"));
    }

    @Test
    void testGoesThroughCertificateServiceWithTheCallersToken() {
        String certificateId = UUID.randomUUID().toString();
        certificates.exchangeAnswers(certificateId, 200);
        String id = connector(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("httpStatus", equalTo(200))
                .body("matchedRule", equalTo("*.partner.test"))
                .body("tlsProtocol", equalTo("TLSv1.3"))
                .body("certificateId", equalTo(certificateId))
                .body("baseUrl", equalTo("https://api.partner.test/v1/"));
        var received = certificates.received(certificateId);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).authorization()).isEqualTo(CONNECTOR_USER);
        assertThat(received.get(0).via()).isEqualTo("connection-service");
        assertThat(received.get(0).body()).contains("\"method\":\"GET\"").contains("\"url\":\"https://api.partner.test/v1/\"");
    }

    /**
     * Finding 3 of issue #10: connection-service used to present the certificate with its own
     * certificates:manage token, so managing connections was enough to present any certificate.
     */
    @Test
    void aCallerWithoutCertificatesUseCannotHaveTheCertificatePresented() {
        String certificateId = UUID.randomUUID().toString();
        certificates.exchangeAnswers(certificateId, 200);
        String id = connector(certificateId);
        String connectionsOnly = TestTokens.bearer("mallory", Permissions.USE, Permissions.MANAGE);
        given().header("Authorization", connectionsOnly).when().post(BASE + "/" + id + "/test")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "certificate-use-forbidden"))
                .body("detail", containsString("certificates:use"));
        var received = certificates.received(certificateId);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).authorization()).as("the caller's own token, nothing of the service's")
                .isEqualTo(connectionsOnly);
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("action", "connection.test")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].actor", equalTo("mallory"))
                .body("[0].outcome", equalTo("FAILED")).body("[0].detail", equalTo("certificate-use-forbidden"));
    }

    @Test
    void anUnauthorizedHostIsApiHostNotAuthorized() {
        String certificateId = UUID.randomUUID().toString();
        certificates.problem(certificateId, 403, "host-not-authorized",
                "This certificate may not be presented to api.partner.test:443");
        String id = connector(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "api-host-not-authorized"))
                .body("errors[0].field", equalTo("details.baseUrl"))
                .body("detail", containsString("may not be presented"));
        assertThat(certificates.received(certificateId)).hasSize(1);
    }

    @Test
    void anUnavailableCertificateServiceIsRetriedThenReportedWithoutFakingSuccess() {
        String certificateId = UUID.randomUUID().toString();
        certificates.problem(certificateId, 503, "vault-unavailable", "The secret store is unavailable");
        String id = connector(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(503)
                .body("type", equalTo(PROBLEM + "certificate-service-unavailable"));
        assertThat(certificates.received(certificateId)).hasSize(3);
    }

    @Test
    void aSlowCertificateServiceIsUnavailableNotRetried() {
        String certificateId = UUID.randomUUID().toString();
        certificates.slow(certificateId, 3000);
        String id = connector(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(503)
                .body("type", equalTo(PROBLEM + "certificate-service-unavailable"))
                .body("detail", containsString("in time"));
        assertThat(certificates.received(certificateId)).hasSize(1);
    }

    @Test
    void aCertificateThatMustExistAndCoverTheBaseUrlIsCheckedWhenSaved() {
        // Unknown certificate: refused, nothing stored.
        String unknown = UUID.randomUUID().toString();
        String name = ConnectionFixtures.uniqueName("api-unknown");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(apiBody(name, "https://api.partner.test/v1/", unknown))
                .when().post(BASE)
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "certificate-not-found"))
                .body("errors[0].field", equalTo("details.certificateId"));
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        // It was asked with the caller's own token, about the base URL's host and port.
        var asked = certificates.authorizationQuestions(unknown);
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).authorization()).isEqualTo(MANAGER);
        assertThat(asked.get(0).body()).contains("host=api.partner.test").contains("port=443");

        // A certificate whose authorized domains do not cover the base URL: refused.
        String foreign = UUID.randomUUID().toString();
        certificates.exists(foreign);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(apiBody(ConnectionFixtures.uniqueName("api-foreign"), "https://api.partner.test:8443/v1/", foreign))
                .when().post(BASE)
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "api-host-not-authorized"))
                .body("errors[0].field", equalTo("details.baseUrl"));

        // Replacing the base URL is checked the same way.
        String covered = UUID.randomUUID().toString();
        String id = connector(covered);
        Map<String, Object> moved = apiBody(ConnectionFixtures.uniqueName("api-moved"), "https://evil.example/v1/", covered);
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON).body(moved)
                .when().put(BASE + "/" + id)
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "api-host-not-authorized"));
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("details.baseUrl", equalTo("https://api.partner.test/v1/"));
    }

    @Test
    void aCertificateDeletedAfterwardsIsCertificateNotFoundWhenTested() {
        String certificateId = UUID.randomUUID().toString();
        String id = connector(certificateId);
        certificates.forget(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "certificate-not-found"))
                .body("errors[0].field", equalTo("details.certificateId"));
    }

    @Test
    void anApiErrorStatusIsAFailedTest() {
        String certificateId = UUID.randomUUID().toString();
        certificates.exchangeAnswers(certificateId, 401);
        String id = connector(certificateId);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(502)
                .body("type", equalTo(PROBLEM + "api-error-status"))
                .body("detail", containsString("HTTP 401"));
    }

    @Test
    void aConnectorWithoutCertificateCannotBeTested() {
        String id = connector(null);
        given().header("Authorization", CONNECTOR_USER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(422)
                .body("type", equalTo(PROBLEM + "certificate-required"));
    }

    @Test
    void keysSlotsAndCatalogAreForSnowflakeConnectionsOnly() {
        String id = connector(null);
        String key = ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate());
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(Map.of("privateKey", key))
                .when().post(BASE + "/" + id + "/credentials/test")
                .then().statusCode(409).body("type", equalTo(PROBLEM + "not-a-snowflake-connection"))
                .body("detail", containsString("private keys"));
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", key, "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(409).body("type", equalTo(PROBLEM + "not-a-snowflake-connection"));
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/key-slots")
                .then().statusCode(409).body("type", equalTo(PROBLEM + "not-a-snowflake-connection"))
                .body("detail", containsString("Key slots"));
        given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/browse")
                .then().statusCode(409).body("type", equalTo(PROBLEM + "not-a-snowflake-connection"))
                .body("detail", containsString("browsed"));
    }

    @Test
    void baseUrlMustBeHttpsAndSnowflakeFieldsAreRefused() {
        Map<String, Object> body = apiBody(ConnectionFixtures.uniqueName("api"), "http://api.partner.test/", null);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400)
                .body("errors[0].field", equalTo("details.baseUrl"));
        body = apiBody(ConnectionFixtures.uniqueName("api"), "https://user:pw@api.partner.test/", null);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400)
                .body("errors[0].field", equalTo("details.baseUrl"))
                .body(not(containsString("user:pw")));
        body = apiBody(ConnectionFixtures.uniqueName("api"), "https://api.partner.test/", null);
        ConnectionFixtures.details(body).put("account", "acme");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(400)
                .body("errors[0].field", equalTo("details.account"));
    }

    @Test
    void theTypeOfAConnectionCannotChange() {
        String id = connector(null);
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("switch"), "svc",
                null, null, null);
        ConnectionFixtures.details(body).remove("privateKey");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON).body(body)
                .when().put(BASE + "/" + id)
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("details.type"));
    }
}
