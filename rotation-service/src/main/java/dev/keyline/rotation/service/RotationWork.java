package dev.keyline.rotation.service;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.WorkPools;
import dev.keyline.rotation.config.RotationServiceConfig;
import dev.keyline.rotation.service.steps.KeyReserve;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;

/**
 * The bounded pool RSA generation runs on (GENERATE): CPU work that, unbounded, would compete with
 * every request of the service. A full pool makes the run retry later (type {@code busy}). Started
 * eagerly so its readiness check ({@code work-keys}) and gauges exist from the start.
 *
 * <p>
 * Also the {@link KeyReserve} filled on that pool while it is idle, from
 * {@code work.key-reserve-delay} after start-up, and emptied at shutdown. Its metrics:
 * {@code keyline_rotation_key_reserve_ready} (keys ready now), {@code _capacity} (the configured
 * size, 0 when disabled), {@code _target} (that size plus the rotations due soon, see
 * {@link ScheduleLookAhead}), {@code _taken_total} (runs that got a ready key) and {@code _missed_total}
 * (runs of the reserve's key size that found it empty and generated on demand: if it grows in
 * bursts, the reserve is too small for them).
 */
@Startup
@ApplicationScoped
public class RotationWork {

    @Inject
    WorkPools pools;

    @Inject
    RotationServiceConfig config;

    @Inject
    MeterRegistry registry;

    private BoundedWork keys;
    private KeyReserve reserve;

    @PostConstruct
    void init() {
        RotationServiceConfig.Work w = config.work();
        keys = pools.create("keys", "key generation", w.keyThreads(), w.keyQueue(), false, w.retryAfterSeconds(),
                w.saturatedAfter());
        reserve = new KeyReserve(w.keyReserve(), Math.max(w.keyReserve(), w.keyReserveMax()), w.keyReserveKeySize(),
                config.worker().pbkdf2Iterations(), keys);
        Gauge.builder("keyline_rotation_key_reserve_ready", reserve, KeyReserve::ready)
                .description("RSA keys generated ahead and ready for GENERATE").register(registry);
        Gauge.builder("keyline_rotation_key_reserve_capacity", reserve, KeyReserve::capacity)
                .description("Keys the reserve holds while no rotation is due soon (rotation-service.work.key-reserve); "
                        + "0 when disabled")
                .register(registry);
        Gauge.builder("keyline_rotation_key_reserve_target", reserve, KeyReserve::target)
                .description("Keys the reserve fills up to now: its size plus the rotations due within "
                        + "rotation-service.work.key-reserve-ahead, at most rotation-service.work.key-reserve-max")
                .register(registry);
        FunctionCounter.builder("keyline_rotation_key_reserve_taken", reserve, KeyReserve::taken)
                .description("Runs whose GENERATE took a ready key from the reserve").register(registry);
        FunctionCounter.builder("keyline_rotation_key_reserve_missed", reserve, KeyReserve::missed)
                .description("Runs of the reserve's key size that found it empty and generated on demand")
                .register(registry);
    }

    /** The app is up: the reserve starts filling after its delay, behind start-up's own work. */
    void started(@Observes StartupEvent event) {
        reserve.start(config.work().keyReserveDelay());
    }

    /** Stop filling at once on an orderly stop, so the pool is left to the runs being handed over. */
    void stopping(@Observes ShutdownEvent event) {
        reserve.close();
    }

    @PreDestroy
    void close() {
        reserve.close();
    }

    public BoundedWork keys() {
        return keys;
    }

    public KeyReserve reserve() {
        return reserve;
    }
}
