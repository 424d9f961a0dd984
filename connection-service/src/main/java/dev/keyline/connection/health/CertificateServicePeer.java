package dev.keyline.connection.health;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.health.PeerProbe;
import dev.keyline.common.health.Peers;
import dev.keyline.connection.config.ConnectionServiceConfig;
import io.quarkus.runtime.Startup;

/**
 * Watches certificate-service (API connector tests go through it). Not a readiness check: while it
 * is away only API connector tests fail (503 {@code certificate-service-unavailable}); Snowflake
 * connections, which never need it, stay in service. Shown in {@code /q/health} as the wellness
 * check {@code certificate-service} (UP, {@code data.peer: up|down}) and as
 * {@code keyline_peer_up{peer="certificate-service"}}.
 */
@Startup
@ApplicationScoped
public class CertificateServicePeer {

    @Inject
    Peers peers;

    @Inject
    ConnectionServiceConfig config;

    private PeerProbe probe;

    @PostConstruct
    void init() {
        probe = peers.watch("certificate-service", config.certificateService().healthUrl(),
                config.certificateService().probeInterval());
    }

    public PeerProbe probe() {
        return probe;
    }
}
