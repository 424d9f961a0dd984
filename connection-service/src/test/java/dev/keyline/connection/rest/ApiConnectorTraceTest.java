package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With tracing on, an API-connector test is one trace from the caller through connection-service to
 * certificate-service: connection-service continues the caller's W3C {@code traceparent} and sends
 * it on with the exchange (a child span of the same trace), and the audit event of the test
 * records that trace id.
 */
@QuarkusTest
@TestProfile(ApiConnectorTraceTest.Traced.class)
@ExtendWith(SecretLeakGuard.class)
class ApiConnectorTraceTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Spans are recorded; the exporter has nowhere to send them in this test (nothing listens
            // there): what is checked is what crosses the wire to certificate-service.
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.endpoint", "http://127.0.0.1:9");
        }
    }

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    @Test
    void theExchangeContinuesTheCallersTraceAndTheAuditEventNamesIt() {
        String certificateId = UUID.randomUUID().toString();
        certificates.exchangeAnswers(certificateId, 200);
        certificates.authorize(certificateId, "api.partner.test:443");
        String id = ConnectionFixtures.create(ApiConnectorTest.apiBody(ConnectionFixtures.uniqueName("api"),
                "https://API.partner.test/v1/", certificateId));
        HexFormat hex = HexFormat.of();
        String traceId = hex.formatHex(randomBytes(16));
        String callerSpan = hex.formatHex(randomBytes(8));

        given().header("Authorization", ApiConnectorTest.CONNECTOR_USER)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .when().post(BASE + "/" + id + "/test").then().statusCode(200).body("ok", equalTo(true));

        List<CertificateServiceStub.Received> received = certificates.received(certificateId);
        assertThat(received).hasSize(1);
        String sent = received.get(0).traceparent();
        assertThat(sent).as("traceparent sent to certificate-service").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(sent.substring(3, 35)).as("same trace as the caller's request").isEqualTo(traceId);
        assertThat(sent.substring(36, 52)).as("a span of connection-service, child of the caller's").isNotEqualTo(callerSpan);

        List<String> auditTraceIds = given().header("Authorization", READER).queryParam("resourceId", id)
                .queryParam("action", "connection.test").when().get("/api/v1/audit-events").then().statusCode(200)
                .extract().jsonPath().getList("traceId", String.class);
        assertThat(auditTraceIds).as("the test's audit event carries the trace id").containsExactly(traceId);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        do {
            ThreadLocalRandom.current().nextBytes(b);
        } while (b[0] == 0);
        return b;
    }
}
