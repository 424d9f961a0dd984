package dev.keyline.common.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.Wellness;

/**
 * The peer services this one calls, watched by {@link PeerProbe}s: each shows as a wellness check
 * (in {@code /q/health} and {@code /q/health/well}, never in {@code /q/health/ready}; UP with
 * {@code data.peer: down} while the peer is away) and as the gauge {@code keyline_peer_up{peer}}.
 */
@ApplicationScoped
public class Peers {

    @Inject
    MeterRegistry registry;

    @Inject
    @Wellness
    HealthRegistry wellness;

    private final List<PeerProbe> probes = new CopyOnWriteArrayList<>();

    public PeerProbe watch(String peer, String readinessUrl, Duration interval) {
        PeerProbe probe = new PeerProbe(peer, readinessUrl, interval, Duration.ofSeconds(2));
        probes.add(probe);
        Gauge.builder("keyline.peer.up", probe, p -> p.state().up() ? 1 : 0)
                .description("1 while the peer service answers its readiness probe, else 0").tag("peer", peer)
                .register(registry);
        wellness.register(peer, probe::response);
        return probe;
    }

    @PreDestroy
    void close() {
        probes.forEach(PeerProbe::close);
    }
}
