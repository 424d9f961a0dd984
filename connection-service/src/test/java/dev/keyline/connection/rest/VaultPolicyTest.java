package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.CertificateServiceStub;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.postgres.PostgresResource;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulatorResource;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.RecordedRequest;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.emulators.vault.VaultEmulatorResource;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service as deployed talks to Vault: quarkus-vault logs in through Kubernetes auth with a
 * ServiceAccount JWT from a file, and its token carries only deploy/vault/policies/connection-service.hcl,
 * which the emulator enforces as Vault does. Create, the key read of a connection test, a
 * credential swap over an orphan version (metadata read, destroy, update), a swap recovering a
 * secret deleted from Vault (metadata read, then a check-and-set 0 create), delete and the readiness
 * list: each of the six operations the policy's header lists must be granted by it.
 */
@QuarkusTest
@TestProfile(VaultPolicyTest.ShippedPolicyThroughKubernetesAuth.class)
@ExtendWith(SecretLeakGuard.class)
class VaultPolicyTest {

    /** The shipped policy; {@code -Dvault-policy-under-test=FILE} tries an edited copy. */
    static final String POLICY = System.getProperty("vault-policy-under-test",
            "../deploy/vault/policies/connection-service.hcl");
    static final String PREFIX = "keyline/connection-service/connections/";

    /** The module's test stack, but a Vault emulator that holds the service to its policy. */
    public static class ShippedPolicyThroughKubernetesAuth implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class),
                    new TestResourceEntry(SnowflakeEmulatorResource.class),
                    new TestResourceEntry(CertificateServiceStub.Resource.class),
                    new TestResourceEntry(VaultEmulatorResource.class, Map.of(
                            "policies", "connection-service=" + POLICY,
                            "kubernetes-role", "connection-service:connection-service")));
        }
    }

    @InjectVaultEmulator
    VaultEmulator vault;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void aConnectionsWholeLifeWorksWithOnlyTheShippedPolicy() throws Exception {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'vault' }.status", equalTo("UP"));

        KeyPair key = ConnectionFixtures.newKey();
        KeyPair next = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_POLICY", key.getPublic());
        snowflake.account(ConnectionFixtures.ACCOUNT).user(user).rsaPublicKey2(next.getPublic());
        String id = ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("policy"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null));
        assertThat(vault.versions("secret", PREFIX + id)).hasSize(1);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(key.getPublic())));

        // A version no row points at (a write that timed out, applied later): the swap's check-and-set
        // fails, the service reads the metadata, destroys the orphan and writes on top of it.
        vault.writeSecret("secret", PREFIX + id, Map.of("privateKeyPem", "orphan"));
        given().header("Authorization", MANAGER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(200).body("details.credentialVersion", equalTo(2));
        assertThat(vault.versions("secret", PREFIX + id)).containsOnlyKeys(1, 2, 3);
        assertThat(vault.versions("secret", PREFIX + id).get(2).destroyed()).isTrue();
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(next.getPublic())));

        // The secret deleted by hand (with a token of its own): the swap's check-and-set on version 3
        // fails, the service reads the metadata (no secret) and writes it anew with check-and-set 0.
        KeyPair third = ConnectionFixtures.newKey();
        snowflake.setKeySlot(ConnectionFixtures.ACCOUNT, user, 1, third.getPublic());
        java.net.http.HttpResponse<String> deleted = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder()
                        .uri(java.net.URI.create(vault.url() + "/v1/secret/metadata/" + PREFIX + id))
                        .header("X-Vault-Token", vault.token()).DELETE().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        given().header("Authorization", MANAGER).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(third.getPrivate()), "expectedCredentialVersion", 2))
                .when().put(BASE + "/" + id + "/credentials")
                .then().statusCode(200).body("details.credentialVersion", equalTo(3));
        assertThat(vault.versions("secret", PREFIX + id)).containsOnlyKeys(1);
        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("keyFingerprint", equalTo(Fingerprints.spkiSha256(third.getPublic())));

        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(404);
        assertThat(vault.secretPaths("secret")).doesNotContain(PREFIX + id);
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));

        // The service logged in through Kubernetes auth, and Vault refused it nothing.
        assertThat(vault.requestCount("POST", "/v1/auth/kubernetes/login")).isPositive();
        assertThat(vault.requests()).extracting(RecordedRequest::status).doesNotContain(403);
        // Tokens (1 h TTL) are not renewed before every call (quarkus-vault's default grace period is 1 h).
        assertThat(vault.requestCount("POST", "/v1/auth/token/renew-self")).isZero();
        assertThat(vault.requestCount("GET", "/v1/secret/data/" + PREFIX + id)).isPositive();
        assertThat(vault.requestCount("GET", "/v1/secret/metadata/" + PREFIX + id)).isPositive();
        assertThat(vault.requestCount("POST", "/v1/secret/destroy/" + PREFIX + id)).isPositive();
        // One DELETE is the test's own (the secret deleted by hand above), the other the service's.
        assertThat(vault.requestCount("DELETE", "/v1/secret/metadata/" + PREFIX + id)).isEqualTo(2);
    }
}
