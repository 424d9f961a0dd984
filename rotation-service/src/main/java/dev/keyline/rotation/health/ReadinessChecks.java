package dev.keyline.rotation.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.config.RotationServiceConfig;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.vault.PendingKeyVault;

/** Readiness: Vault, connection-service, and a "rotations" check that lists NEEDS_ATTENTION runs but stays UP. */
@ApplicationScoped
public class ReadinessChecks {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    PendingKeyVault vault;

    @Inject
    RotationServiceConfig config;

    @Inject
    JdbcRunStore runs;

    @Produces
    @Readiness
    HealthCheck vault() {
        return () -> {
            try {
                vault.ping();
                return HealthCheckResponse.up("vault");
            } catch (RuntimeException e) {
                return HealthCheckResponse.named("vault").down().withData("error", e.getMessage()).build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck connectionService() {
        return () -> {
            if (!config.connectionService().requiredForReadiness()) {
                return HealthCheckResponse.named("connection-service").up().withData("checked", false).build();
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(config.connectionService().healthUrl()))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return HealthCheckResponse.named("connection-service").status(r.statusCode() == 200)
                        .withData("status", r.statusCode()).build();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return HealthCheckResponse.named("connection-service").down()
                        .withData("error", e.getClass().getSimpleName()).build();
            }
        };
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
                b.withData("error", "database unavailable");
            }
            return b.build();
        };
    }
}
