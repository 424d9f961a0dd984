package dev.keyline.rotation.service;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The metrics deploy/monitoring/rules/rotation-service.yaml reads (AlertMetricsTest proves the names):
 * keyline_rotation_runs_total{outcome} (done|rolled_back|needs_attention, all three from start-up so
 * {@code increase()} sees the first one), keyline_rotation_needs_attention{connection_id} (1 while
 * the connection's latest unsuperseded run is in NEEDS_ATTENTION, 0 after a later run succeeded),
 * keyline_rotation_seconds_until_due{connection_id} (negative when overdue) and
 * keyline_rotation_key_age_seconds{connection_id}, refreshed from the database on every scheduler
 * tick. keyline_rotation_duration_seconds is recorded by the worker.
 */
@ApplicationScoped
public class RotationMetrics {

    static final List<String> OUTCOMES = List.of("done", "rolled_back", "needs_attention");

    @Inject
    MeterRegistry registry;

    @Inject
    RunRepository runs;

    @Inject
    PolicyRepository policies;

    private final Map<String, AtomicLong> keyAge = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> untilDue = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> needsAttention = new ConcurrentHashMap<>();

    @PostConstruct
    void registerOutcomes() {
        for (String outcome : OUTCOMES) {
            counter(outcome);
        }
    }

    private Counter counter(String outcome) {
        return Counter.builder("keyline_rotation_runs_total").description("Finished rotation runs by outcome")
                .tag("outcome", outcome).register(registry);
    }

    void finished(RotationRun run) {
        counter(run.state.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void refresh() {
        Set<String> attention = new HashSet<>();
        for (RotationRun r : runs.needingAttention()) {
            attention.add(r.connectionId.toString());
        }
        needsAttention.forEach((id, v) -> v.set(attention.contains(id) ? 1 : 0));
        for (String id : attention) {
            gauge(needsAttention, "keyline_rotation_needs_attention",
                    "1 while the connection's latest rotation stopped in NEEDS_ATTENTION", id).set(1);
        }
        Instant now = Instant.now();
        List<RotationPolicy> all = policies.list();
        Set<String> withPolicy = new HashSet<>();
        all.forEach(p -> withPolicy.add(p.connectionId.toString()));
        removeStale(keyAge, "keyline_rotation_key_age_seconds", withPolicy);
        removeStale(untilDue, "keyline_rotation_seconds_until_due", withPolicy);
        for (RotationPolicy p : all) {
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

    /** A deleted policy's series go away instead of reporting a frozen value. */
    private void removeStale(Map<String, AtomicLong> map, String name, Set<String> keep) {
        for (String id : Set.copyOf(map.keySet())) {
            if (!keep.contains(id)) {
                var meter = registry.find(name).tag("connection_id", id).meter();
                if (meter != null) {
                    registry.remove(meter);
                }
                map.remove(id);
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
