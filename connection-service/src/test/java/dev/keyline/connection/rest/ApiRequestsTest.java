package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import dev.keyline.connection.Permissions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code POST /connections/{id}/requests}: a call under the connector's baseUrl, made by
 * certificate-service's exchange with the caller's token (here the stand-in; ApiConnectorEndToEndIT
 * runs the real certificate-service against a TLS server requiring the certificate).
 */
@QuarkusTest
class ApiRequestsTest {

    static final String CALLER = TestTokens.bearer("carl", Permissions.USE, CertificateServiceStub.USE);

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    @BeforeAll
    static void guard() {
        SecretLeakGuard.install();
    }

    String connector(String certificateId) {
        certificates.authorize(certificateId, "api.partner.test:443");
        return ConnectionFixtures.create(ApiConnectorTest.apiBody(ConnectionFixtures.uniqueName("api-call"),
                "https://api.partner.test/v1/", certificateId));
    }

    @Test
    void aCallGoesUnderTheBaseUrlWithTheCallersToken() {
        String certificateId = UUID.randomUUID().toString();
        String id = connector(certificateId);
        certificates.exchangeAnswers(certificateId, 201);
        given().header("Authorization", CALLER).contentType(ContentType.JSON)
                .body(Map.of("method", "POST", "path", "orders", "query", Map.of("dry run", "yes"),
                        "headers", Map.of("Accept", "application/json"), "body", "{\"qty\":1}"))
                .when().post(BASE + "/" + id + "/requests")
                .then().statusCode(200)
                .body("status", equalTo(201))
                .body("body", equalTo("{}"))
                .body("url", equalTo("https://api.partner.test/v1/orders"));
        var received = certificates.received(certificateId);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).authorization()).isEqualTo(CALLER);
        assertThat(received.get(0).body()).contains("\"url\":\"https://api.partner.test/v1/orders?dry%20run=yes\"")
                .contains("\"method\":\"POST\"").contains("\"Accept\":\"application/json\"").contains("\\\"qty\\\":1");
        given().header("Authorization", MANAGER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200).body("action", hasItem("connection.request"));
    }

    @Test
    void pathsLeavingTheBaseUrlAndForbiddenHeadersAreRefusedBeforeAnyExchange() {
        String certificateId = UUID.randomUUID().toString();
        String id = connector(certificateId);
        certificates.exchangeAnswers(certificateId, 200);
        for (String path : new String[] { "../admin", "//evil.test/", "https://evil.test/" }) {
            given().header("Authorization", CALLER).contentType(ContentType.JSON).body(Map.of("path", path))
                    .when().post(BASE + "/" + id + "/requests")
                    .then().statusCode(400).body("errors.field", hasItem("path"));
        }
        given().header("Authorization", CALLER).contentType(ContentType.JSON)
                .body(Map.of("path", "x", "headers", Map.of("Authorization", "Bearer stolen")))
                .when().post(BASE + "/" + id + "/requests")
                .then().statusCode(400).body("errors.field", hasItem("headers.Authorization"));
        assertThat(certificates.received(certificateId)).isEmpty();
    }

    @Test
    void withoutTheCallersOwnCertificateUseTheCallIsRefused() {
        String certificateId = UUID.randomUUID().toString();
        String id = connector(certificateId);
        certificates.exchangeAnswers(certificateId, 200);
        given().header("Authorization", TestTokens.bearer("uma", Permissions.USE)).contentType(ContentType.JSON)
                .body(Map.of("path", "x"))
                .when().post(BASE + "/" + id + "/requests")
                .then().statusCode(403).body("type", equalTo("urn:keyline:problem:certificate-use-forbidden"));
    }
}
