package dev.keyline.common.work;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.common.security.Caller;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.smallrye.health.api.HealthRegistry;

/**
 * Creates a service's {@link BoundedWork} pools and makes their load visible: one readiness check
 * per pool ({@code work-<pool>}, DOWN while its queue has stayed full past the saturation window, so
 * Kubernetes stops routing to a stalled pod; data: threads, active, queued, queueCapacity, rejected)
 * and gauges {@code keyline_work_active}, {@code keyline_work_queued}, {@code keyline_work_saturated}
 * and the counters {@code keyline_work_rejected_total} and {@code keyline_work_caller_refused_total},
 * tagged {@code pool}.
 */
@ApplicationScoped
public class WorkPools {

    @Inject
    MeterRegistry registry;

    @Inject
    @Readiness
    HealthRegistry readiness;

    @Inject
    Instance<Caller> caller;

    private final List<BoundedWork> pools = new CopyOnWriteArrayList<>();

    /** A new pool; see {@link BoundedWork#BoundedWork} for the parameters. */
    public BoundedWork create(String name, String what, int threads, int queue, boolean virtualThreads,
            int retryAfterSeconds, Duration saturatedAfter) {
        return create(name, what, threads, queue, virtualThreads, retryAfterSeconds, saturatedAfter, 0);
    }

    /**
     * A new pool in which one caller (the token's subject of the request submitting the work) may hold
     * at most {@code perCaller} tasks, running or waiting (0: no limit). Work submitted outside a
     * request (the service's own) is limited only by the pool's size.
     */
    public BoundedWork create(String name, String what, int threads, int queue, boolean virtualThreads,
            int retryAfterSeconds, Duration saturatedAfter, int perCaller) {
        return create(name, what, threads, queue, virtualThreads, retryAfterSeconds, saturatedAfter, perCaller,
                perCaller);
    }

    /**
     * As above, with a share of its own ({@code perServiceAccount}) for a configured service account
     * ({@link Caller#serviceAccount()}): one identity serving every replica of a peer service, whose calls
     * would otherwise refuse one another at a person's share.
     */
    public BoundedWork create(String name, String what, int threads, int queue, boolean virtualThreads,
            int retryAfterSeconds, Duration saturatedAfter, int perCaller, int perServiceAccount) {
        BoundedWork pool = new BoundedWork(name, what, threads, queue, virtualThreads, retryAfterSeconds, saturatedAfter,
                perCaller, this::currentCaller, () -> currentShare(perCaller, perServiceAccount));
        pools.add(pool);
        Gauge.builder("keyline.work.active", pool, p -> p.load().active())
                .description("Tasks running in a bounded work pool").tag("pool", name).register(registry);
        Gauge.builder("keyline.work.queued", pool, p -> p.load().queued())
                .description("Tasks waiting in a bounded work pool's queue").tag("pool", name).register(registry);
        Gauge.builder("keyline.work.saturated", pool, p -> p.saturated() ? 1 : 0)
                .description("1 while the pool's queue has stayed full past its saturation window")
                .tag("pool", name).register(registry);
        FunctionCounter.builder("keyline.work.rejected", pool, p -> p.load().rejected())
                .description("Submissions refused with 503 because the pool was full").tag("pool", name)
                .register(registry);
        countRefusals(name, pool, BoundedWork::callerRefused);
        readiness.register("work-" + name, () -> check(pool));
        return pool;
    }

    /**
     * A per-caller share of work that runs outside any pool (an exchange, on the request's own thread),
     * its refusals counted like a pool's: {@code keyline_work_caller_refused_total{pool=name}}.
     * See {@link CallerShare#CallerShare} for the parameters.
     */
    public CallerShare share(String name, String what, int perCaller, int retryAfterSeconds) {
        CallerShare share = new CallerShare(name, what, perCaller, retryAfterSeconds);
        countRefusals(name, share, CallerShare::refused);
        return share;
    }

    private <T> void countRefusals(String name, T source, ToDoubleFunction<T> refused) {
        FunctionCounter.builder("keyline.work.caller.refused", source, refused)
                .description("Submissions refused with 429 because their caller already held its share of the pool")
                .tag("pool", name).register(registry);
    }

    /** The subject of the request on this thread; null outside a request or for an anonymous one. */
    String currentCaller() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return caller.get().subject().orElse(null);
    }

    /** The share of the request on this thread's caller. */
    int currentShare(int perCaller, int perServiceAccount) {
        if (perCaller == perServiceAccount || !Arc.container().requestContext().isActive()) {
            return perCaller;
        }
        return caller.get().serviceAccount() ? perServiceAccount : perCaller;
    }

    /**
     * A share that is a fraction of what it guards: {@code configured} when set, else
     * {@code max(1, size / divisor)}. Why: a share equal to the pool let one caller hold all of it.
     */
    public static int fractionOf(int size, int divisor, java.util.OptionalInt configured) {
        return configured.isPresent() ? configured.getAsInt() : Math.max(1, size / divisor);
    }

    static HealthCheckResponse check(BoundedWork pool) {
        BoundedWork.Load load = pool.load();
        boolean saturated = pool.saturated();
        var builder = HealthCheckResponse.named("work-" + load.pool()).status(!saturated)
                .withData("threads", load.threads())
                .withData("active", load.active())
                .withData("queued", load.queued())
                .withData("queueCapacity", load.queueCapacity())
                .withData("rejected", load.rejected())
                .withData("fullForMillis", load.fullFor().toMillis());
        if (saturated) {
            builder.withData("error", "queue full for more than " + pool.saturatedAfter().toMillis() + " ms");
        }
        return builder.build();
    }

    @PreDestroy
    void close() {
        pools.forEach(BoundedWork::close);
    }
}
