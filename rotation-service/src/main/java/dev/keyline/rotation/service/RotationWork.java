package dev.keyline.rotation.service;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.WorkPools;
import dev.keyline.rotation.config.RotationServiceConfig;
import io.quarkus.runtime.Startup;

/**
 * The bounded pool RSA generation runs on (GENERATE): CPU work that, unbounded, would compete with
 * every request of the service. A full pool makes the run retry later (type {@code busy}). Started
 * eagerly so its readiness check ({@code work-keys}) and gauges exist from the start.
 */
@Startup
@ApplicationScoped
public class RotationWork {

    @Inject
    WorkPools pools;

    @Inject
    RotationServiceConfig config;

    private BoundedWork keys;

    @PostConstruct
    void init() {
        RotationServiceConfig.Work w = config.work();
        keys = pools.create("keys", "key generation", w.keyThreads(), w.keyQueue(), false, w.retryAfterSeconds(),
                w.saturatedAfter());
    }

    public BoundedWork keys() {
        return keys;
    }
}
