package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.CertificateServiceStub.ConsumerCall;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.InjectCertificateServiceStub;
import dev.keyline.connection.Permissions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Saving an API connector registers it at its certificate in certificate-service (with the caller's
 * token, before the commit), deleting it or moving it to another certificate unregisters it (after
 * the commit), so certificate-service can refuse to delete a certificate in use (issue #12 item 4).
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ApiConnectorConsumersTest {

    static final String PROBLEM = "urn:keyline:problem:";

    @InjectCertificateServiceStub
    CertificateServiceStub certificates;

    String certificate() {
        String id = UUID.randomUUID().toString();
        certificates.authorize(id, "api.partner.test:443");
        return id;
    }

    static Map<String, Object> body(String name, String certificateId) {
        return ApiConnectorTest.apiBody(name, "https://api.partner.test/v1/", certificateId);
    }

    @Test
    void savingRegistersWithTheCallersTokenAndDeletingUnregisters() {
        String certificate = certificate();
        String name = ConnectionFixtures.uniqueName("api-consumer");
        String id = ConnectionFixtures.create(body(name, certificate));

        assertThat(certificates.consumers(certificate)).containsOnlyKeys(id);
        ConsumerCall put = certificates.consumerCallsOf(id).get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.authorization()).as("the caller's own token").isEqualTo(MANAGER);
        assertThat(put.via()).isEqualTo("connection-service");
        assertThat(put.body()).contains("\"name\":\"" + name + "\"").contains("\"service\":\"connection-service\"");

        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        assertThat(certificates.consumers(certificate)).isEmpty();
        assertThat(certificates.consumerCallsOf(id)).extracting(ConsumerCall::method).containsExactly("PUT", "DELETE");
        assertThat(certificates.consumerCallsOf(id).get(1).authorization()).isEqualTo(MANAGER);
    }

    @Test
    void movingToAnotherCertificateRegistersTheNewOneThenLeavesTheOld() {
        String first = certificate();
        String second = certificate();
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("api-move"), first));

        String renamed = ConnectionFixtures.uniqueName("api-renamed");
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(body(renamed, first)).when().put(BASE + "/" + id).then().statusCode(200);
        assertThat(certificates.consumers(first).get(id)).as("every save registers, with the current name").contains(renamed);

        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(body(renamed, second)).when().put(BASE + "/" + id).then().statusCode(200);
        assertThat(certificates.consumers(first)).isEmpty();
        assertThat(certificates.consumers(second)).containsOnlyKeys(id);
        assertThat(certificates.consumerCallsOf(id)).extracting(c -> c.method() + " " + (c.certificateId().equals(first) ? 1 : 2))
                .containsExactly("PUT 1", "PUT 1", "PUT 2", "DELETE 1");

        // Leaving the certificate out unregisters it too.
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(body(renamed, null)).when().put(BASE + "/" + id).then().statusCode(200);
        assertThat(certificates.consumers(second)).isEmpty();
    }

    @Test
    void aCallerWithoutCertificatesUseCannotBindTheCertificateAndNothingIsSaved() {
        String certificate = certificate();
        String name = ConnectionFixtures.uniqueName("api-nouse");
        String connectionsOnly = TestTokens.bearer("mallory", Permissions.MANAGE, Permissions.USE);
        given().header("Authorization", connectionsOnly).contentType(ContentType.JSON).body(body(name, certificate))
                .when().post(BASE)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "certificate-use-forbidden"));
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(certificates.consumers(certificate)).isEmpty();
    }

    @Test
    void aFailedRegistrationSavesNothingAndKeepsTheOldCertificate() {
        String certificate = certificate();
        certificates.consumerCallsFail(certificate, 503);
        String name = ConnectionFixtures.uniqueName("api-down");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name, certificate))
                .when().post(BASE)
                .then().statusCode(503).body("type", equalTo(PROBLEM + "certificate-service-unavailable"));
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0));
        assertThat(certificates.consumerCalls(certificate)).as("retried: registering is idempotent").hasSize(3);

        String kept = certificate();
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("api-keep"), kept));
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(id)).contentType(ContentType.JSON)
                .body(body(ConnectionFixtures.uniqueName("api-keep"), certificate)).when().put(BASE + "/" + id)
                .then().statusCode(503);
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("details.certificateId", equalTo(kept));
        assertThat(certificates.consumers(kept)).containsOnlyKeys(id);
        assertThat(certificates.consumerCallsOf(id)).extracting(ConsumerCall::method).doesNotContain("DELETE");
    }

    @Test
    void aFailedUnregistrationStillDeletesTheConnectorAndLeavesAStaleConsumer() {
        String certificate = certificate();
        String id = ConnectionFixtures.create(body(ConnectionFixtures.uniqueName("api-stale"), certificate));
        certificates.consumerCallsFail(certificate, 500);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(404);
        // What certificate-service's 409 would then name: the connection id an operator unregisters by hand.
        assertThat(certificates.consumers(certificate)).containsOnlyKeys(id);
        certificates.consumerCallsFail(certificate, 0);
    }
}
