package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With the production default, an authorized host that resolves to loopback is still refused. */
@QuarkusTest
@TestProfile(PrivateEgressRefusedTest.ProductionEgress.class)
@ExtendWith(SecretLeakGuard.class)
class PrivateEgressRefusedTest {

    public static class ProductionEgress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("certificate-service.egress.allow-private-addresses", "false");
        }
    }

    @Test
    void loopbackIsRefusedWithoutConnecting() throws Exception {
        Issued serverCa = TestPki.ca("Egress Test Server CA");
        try (MtlsTestServer server = new MtlsTestServer(MtlsTestServer.localhostIdentity(serverCa), serverCa,
                CertificateFixtures.CLIENT_CA)) {
            Map<String, Object> body = new java.util.HashMap<>(CertificateFixtures.body(
                    CertificateFixtures.uniqueName("egress"), CertificateFixtures.client("egress"),
                    List.of("localhost:" + server.port())));
            body.put("caCertificate", serverCa.certificatePem());
            String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");

            given().header("Authorization", USER).contentType(ContentType.JSON)
                    .body(Map.of("url", "https://localhost:" + server.port() + "/"))
                    .when().post("/api/v1/certificates/" + id + "/exchange")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:egress-refused"));
            assertThat(server.seen()).isEmpty();
        }
    }
}
