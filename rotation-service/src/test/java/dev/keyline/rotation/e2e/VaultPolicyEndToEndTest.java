package dev.keyline.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.emulators.vault.RecordedRequest;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A rotation with each service held to the Vault policy we ship: rotation-service and the
 * connection-service process log in through Kubernetes auth with a JWT file and their tokens carry
 * only deploy/vault/policies/rotation-service.hcl and connection-service.hcl, which the emulators
 * enforce as Vault does. A capability a rotation needs and a policy lacks fails here with 403.
 */
@QuarkusTest
@TestProfile(VaultPolicyEndToEndTest.ShippedVaultPolicies.class)
class VaultPolicyEndToEndTest {

    /** The usual stack, started with {@link RotationStack#SHIPPED_VAULT_POLICIES}. */
    public static class ShippedVaultPolicies implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RotationStack.class,
                    Map.of(RotationStack.SHIPPED_VAULT_POLICIES, "true")));
        }
    }

    RotationStack.Handles stack;

    @Test
    void aRotationWorksWithEachServiceOnItsShippedPolicy() {
        E2e e2e = new E2e(stack);
        E2e.Svc svc = e2e.newConnection("policy-svc");

        JsonPath run = e2e.rotateAndWait(svc.id());

        assertThat(run.getString("state")).isEqualTo("DONE");
        e2e.assertRotated(svc, svc.initialFingerprint(), run.getString("newFingerprint"), 2);
        String pending = "keyline/rotation-service/pending/" + run.getString("id");
        assertThat(stack.rotationVault().secretPaths("secret")).doesNotContain(pending);
        // The pending key was written, read back and removed under rotation-service's policy.
        assertThat(stack.rotationVault().requestCount("POST", "/v1/secret/data/" + pending)).isPositive();
        assertThat(stack.rotationVault().requestCount("GET", "/v1/secret/data/" + pending)).isPositive();
        assertThat(stack.rotationVault().requestCount("DELETE", "/v1/secret/metadata/" + pending)).isPositive();
        for (VaultEmulator vault : List.of(stack.rotationVault(), stack.connectionVault())) {
            assertThat(vault.requestCount("POST", "/v1/auth/kubernetes/login")).isPositive();
            assertThat(vault.requests()).extracting(RecordedRequest::status).doesNotContain(403);
            // Tokens (1 h TTL) are not renewed before every call (quarkus-vault's default grace period is 1 h).
            assertThat(vault.requestCount("POST", "/v1/auth/token/renew-self")).isZero();
        }
    }
}
