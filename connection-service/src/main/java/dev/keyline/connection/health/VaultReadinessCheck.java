package dev.keyline.connection.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.connection.vault.ConnectionSecrets;

/**
 * Ready only while Vault answers and accepts our token. A readiness check, not a liveness one:
 * restarting the pod would not bring Vault back, but no traffic should come while it is away.
 */
@Readiness
@ApplicationScoped
public class VaultReadinessCheck implements HealthCheck {

    @Inject
    ConnectionSecrets secrets;

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
