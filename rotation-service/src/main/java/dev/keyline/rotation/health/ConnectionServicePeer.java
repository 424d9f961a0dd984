package dev.keyline.rotation.health;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.health.Peers;
import dev.keyline.rotation.config.RotationServiceConfig;
import io.quarkus.runtime.Startup;

/**
 * Watches connection-service. Not a readiness check: while it is away, runs retry with backoff up to
 * their {@code maxAttempts} (then roll back or need attention) and the requests that need it answer 503
 * {@code connection-service-unavailable} with {@code Retry-After}; the policy and run
 * reads keep working. Shown in {@code /q/health} as the wellness check {@code connection-service}
 * (UP, {@code data.peer: up|down}) and as {@code keyline_peer_up{peer="connection-service"}}.
 */
@Startup
@ApplicationScoped
public class ConnectionServicePeer {

    @Inject
    Peers peers;

    @Inject
    RotationServiceConfig config;

    @PostConstruct
    void init() {
        peers.watch("connection-service", config.connectionService().healthUrl(),
                config.connectionService().probeInterval());
    }
}
