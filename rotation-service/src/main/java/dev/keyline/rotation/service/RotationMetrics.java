package dev.keyline.rotation.service;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.persistence.PolicyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * keyline_rotation_runs_total{outcome}, keyline_rotation_key_age_seconds{connection_id},
 * keyline_rotation_seconds_until_due{connection_id} (negative when overdue) and
 * keyline_rotation_needs_attention, refreshed from the database on every scheduler tick.
 */
@ApplicationScoped
public class RotationMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    JdbcRunStore runs;

    @Inject
    PolicyStore policies;

    private final Map<String, AtomicLong> keyAge = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> untilDue = new ConcurrentHashMap<>();
    private final AtomicLong needsAttention = new AtomicLong();
    private volatile boolean registered;

    void finished(RotationRun run) {
        Counter.builder("keyline_rotation_runs_total").description("Finished rotation runs by outcome")
                .tag("outcome", run.state.name().toLowerCase()).register(registry).increment();
    }

    public void refresh() {
        if (!registered) {
            Gauge.builder("keyline_rotation_needs_attention", needsAttention, AtomicLong::get)
                    .description("Rotation runs that stopped in NEEDS_ATTENTION and were not superseded").register(registry);
            registered = true;
        }
        needsAttention.set(runs.needingAttention().size());
        Instant now = Instant.now();
        for (RotationPolicy p : policies.list()) {
            String id = p.connectionId.toString();
            Instant since = p.lastRotatedAt != null ? p.lastRotatedAt : p.createdAt;
            gauge(keyAge, "keyline_rotation_key_age_seconds", "Seconds since the key was last rotated (or the policy created)", id)
                    .set(now.getEpochSecond() - since.getEpochSecond());
            if (p.nextDueAt != null) {
                gauge(untilDue, "keyline_rotation_seconds_until_due", "Seconds until the next rotation is due; negative when overdue", id)
                        .set(p.nextDueAt.getEpochSecond() - now.getEpochSecond());
            }
        }
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String name, String description, String connectionId) {
        return map.computeIfAbsent(connectionId, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).description(description).tag("connection_id", k).register(registry);
            return v;
        });
    }
}
