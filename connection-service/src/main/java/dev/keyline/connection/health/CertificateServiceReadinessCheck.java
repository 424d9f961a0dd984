package dev.keyline.connection.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.connection.config.ConnectionServiceConfig;

/**
 * Reports whether certificate-service is ready (API connector tests go through it). DOWN when it
 * is not, unless {@code connection-service.certificate-service.required-for-readiness=false}: then
 * this service stays ready (Snowflake connections do not need it) and the data says what is wrong.
 */
@Readiness
@ApplicationScoped
public class CertificateServiceReadinessCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Inject
    ConnectionServiceConfig config;

    private HttpClient http;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public HealthCheckResponse call() {
        String url = config.certificateService().healthUrl();
        boolean required = config.certificateService().requiredForReadiness();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("certificate-service").withData("url", url)
                .withData("required", required);
        String problem;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            builder.withData("status", response.statusCode());
            problem = response.statusCode() == 200 ? null : "not ready (HTTP " + response.statusCode() + ")";
        } catch (IOException | IllegalArgumentException e) {
            problem = "unreachable (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem == null) {
            return builder.withData("reachable", true).up().build();
        }
        builder.withData("reachable", false).withData("error", problem);
        return required ? builder.down().build() : builder.up().build();
    }
}
