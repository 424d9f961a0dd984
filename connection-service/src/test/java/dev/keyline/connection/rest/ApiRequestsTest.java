package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
@ExtendWith(SecretLeakGuard.class)
class ApiRequestsTest {

    static final String CALLER = TestTokens.bearer("carl", Permissions.USE, CertificateServiceStub.USE);

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

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

    /**
     * A control character in the path, a query name or value, or a header name or value is a 400
     * naming the field, before anything is audited or sent (a NUL in the path was a 500: the refusal's
     * audit insert failed on it; a CR/LF in a query value was sent, percent-encoded).
     */
    @Test
    void controlCharactersAreRefusedNamingTheFieldBeforeAnythingIsAuditedOrSent() {
        String certificateId = UUID.randomUUID().toString();
        String id = connector(certificateId);
        certificates.exchangeAnswers(certificateId, 200);
        List<Map.Entry<Map<String, Object>, String>> cases = new ArrayList<>();
        for (String control : new String[] { "\u0000", "\r", "\n", "\r\n", "\t", "\u001b", "\u007f", "\u0085",
                "\u009f" }) {
            cases.add(Map.entry(Map.of("path", "a" + control + "b"), "path"));
            cases.add(Map.entry(Map.of("path", "x", "query", Map.of("q", "v" + control)), "query.q"));
            cases.add(Map.entry(Map.of("path", "x", "query", Map.of("q" + control, "v")), "query"));
            cases.add(Map.entry(Map.of("path", "x", "headers", Map.of("X-Trace", "v" + control + "Injected: 1")),
                    "headers.X-Trace"));
            cases.add(Map.entry(Map.of("path", "x", "headers", Map.of("X-Trace" + control, "v")), "headers"));
        }
        for (var c : cases) {
            given().header("Authorization", CALLER).contentType(ContentType.JSON).body(c.getKey())
                    .when().post(BASE + "/" + id + "/requests")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:invalid-request"))
                    .body("errors.field", hasItem(c.getValue()))
                    .body("errors.reason", hasItem(containsString("control characters")));
        }
        assertThat(certificates.received(certificateId)).isEmpty();
        given().header("Authorization", MANAGER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200).body("action", not(hasItem("connection.request")));
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
