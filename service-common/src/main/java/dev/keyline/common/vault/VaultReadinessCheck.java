package dev.keyline.common.vault;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Ready only while Vault answers and accepts our token. A readiness check, not a liveness one:
 * restarting the pod would not bring Vault back, but no traffic should come while it is away.
 * Not a bean of its own: only the services that keep secrets in Vault produce it (as
 * {@code @Produces @Readiness}), so a module that merely depends on service-common gets no "vault" check.
 */
public class VaultReadinessCheck implements HealthCheck {

    private final VersionedSecrets<?> secrets;

    public VaultReadinessCheck(VersionedSecrets<?> secrets) {
        this.secrets = secrets;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            secrets.ping();
            return HealthCheckResponse.up("vault");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("vault").down().withData("error", e.getMessage()).build();
        }
    }
}
