package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.postgres.PostgresResource;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.RecordedRequest;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.emulators.vault.VaultEmulatorResource;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service as deployed talks to Vault: quarkus-vault logs in through Kubernetes auth with a
 * ServiceAccount JWT from a file, and its token carries only the policy we ship,
 * deploy/vault/policies/certificate-service.hcl, which the emulator enforces as Vault does. Every
 * Vault call of a certificate's life must be granted by it: create, the key read of an exchange,
 * a material update over an orphan version (metadata read, destroy, update), delete and the
 * readiness list, the six operations the policy's header lists. A missing capability fails here
 * with 403 as it would in production.
 */
@QuarkusTest
@TestProfile(VaultPolicyTest.ShippedPolicyThroughKubernetesAuth.class)
@ExtendWith(SecretLeakGuard.class)
class VaultPolicyTest {

    /** The shipped policy; {@code -Dvault-policy-under-test=FILE} tries an edited copy. */
    static final String POLICY = System.getProperty("vault-policy-under-test",
            "../deploy/vault/policies/certificate-service.hcl");
    static final String PREFIX = "keyline/certificate-service/certificates/";

    /** Its own PostgreSQL and Vault emulator: the global ones use the root token. */
    public static class ShippedPolicyThroughKubernetesAuth implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class),
                    new TestResourceEntry(VaultEmulatorResource.class, Map.of(
                            "policies", "certificate-service=" + POLICY,
                            "kubernetes-role", "certificate-service:certificate-service")));
        }
    }

    static final Issued SERVER_CA = TestPki.ca("Vault Policy Test Server CA");
    static MtlsTestServer server;

    @InjectVaultEmulator
    VaultEmulator vault;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @BeforeAll
    static void startServer() throws Exception {
        server = new MtlsTestServer(MtlsTestServer.localhostIdentity(SERVER_CA), SERVER_CA,
                CertificateFixtures.CLIENT_CA);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Map<String, Object> body(String name) {
        Map<String, Object> body = new HashMap<>(CertificateFixtures.body(name, CertificateFixtures.client(name),
                List.of("localhost:" + server.port())));
        body.put("caCertificate", SERVER_CA.certificatePem());
        return body;
    }

    private static void exchange(String id) {
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost:" + server.port() + "/policy"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200).body("status", equalTo(200));
    }

    @Test
    void aCertificatesWholeLifeWorksWithOnlyTheShippedPolicy() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'vault' }.status", equalTo("UP"));

        String name = CertificateFixtures.uniqueName("policy");
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        assertThat(vault.versions("secret", PREFIX + id)).hasSize(1);
        exchange(id);

        // A version no row points at (a write that timed out, applied later): the update's
        // check-and-set fails, the service reads the metadata, destroys the orphan, writes on top.
        vault.writeSecret("secret", PREFIX + id, Map.of("orphan", "yes"));
        given().header("Authorization", MANAGER).header("If-Match", CertificateResourceTest.etag(id))
                .contentType(ContentType.JSON).body(body(name))
                .when().put("/api/v1/certificates/" + id).then().statusCode(200);
        assertThat(vault.versions("secret", PREFIX + id)).containsOnlyKeys(1, 2, 3);
        assertThat(vault.versions("secret", PREFIX + id).get(2).destroyed()).isTrue();
        exchange(id);

        given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id)
                .then().statusCode(204);
        given().header("Authorization", READER).when().get("/api/v1/certificates/" + id).then().statusCode(404);
        assertThat(vault.secretPaths("secret")).doesNotContain(PREFIX + id);
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));

        // The service logged in through Kubernetes auth, and Vault refused it nothing.
        assertThat(vault.requestCount("POST", "/v1/auth/kubernetes/login")).isPositive();
        assertThat(vault.requests()).extracting(RecordedRequest::status).doesNotContain(403);
        // Its token (1 h TTL) is not renewed before every call (quarkus-vault's default grace period is 1 h).
        assertThat(vault.requestCount("POST", "/v1/auth/token/renew-self")).isZero();
        // The exchanges read the key from Vault (GET data), the delete removed its metadata.
        assertThat(vault.requestCount("GET", "/v1/secret/data/" + PREFIX + id)).isPositive();
        assertThat(vault.requestCount("GET", "/v1/secret/metadata/" + PREFIX + id)).isPositive();
        assertThat(vault.requestCount("POST", "/v1/secret/destroy/" + PREFIX + id)).isPositive();
        assertThat(vault.requestCount("DELETE", "/v1/secret/metadata/" + PREFIX + id)).isPositive();
    }
}
