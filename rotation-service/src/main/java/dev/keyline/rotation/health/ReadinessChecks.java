package dev.keyline.rotation.health;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.common.vault.VaultReadinessCheck;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import dev.keyline.rotation.vault.PendingKeyVault;

/**
 * Readiness: Vault, and a "rotations" check that lists NEEDS_ATTENTION runs but stays UP (DOWN only
 * while the database cannot be read). Not
 * connection-service: while it is away runs retry with backoff up to their {@code maxAttempts} and the
 * operations that need it answer 503; it is watched as a peer ({@link ConnectionServicePeer}).
 */
@ApplicationScoped
public class ReadinessChecks {

    @Inject
    PendingKeyVault vault;

    @Inject
    RunRepository runs;

    @Produces
    @Readiness
    HealthCheck vault() {
        return new VaultReadinessCheck(vault);
    }

    @Produces
    @Readiness
    HealthCheck rotations() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("rotations").up();
            try {
                var attention = runs.needingAttention();
                b.withData("needsAttention", attention.size());
                for (RotationRun r : attention.stream().limit(20).toList()) {
                    b.withData("run." + r.id, "connection " + r.connectionId + ": " + r.lastErrorType);
                }
            } catch (RuntimeException e) {
                // Not UP beside an error: the runs needing attention are unknown while the database is away.
                b.down().withData("error", "database unavailable");
            }
            return b.build();
        };
    }
}
