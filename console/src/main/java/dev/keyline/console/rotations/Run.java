package dev.keyline.console.rotations;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.qute.TemplateData;

/** rotation-service's view of a rotation run and its step log. */
@TemplateData
@JsonIgnoreProperties(ignoreUnknown = true)
public record Run(String id, String connectionId, String policyId, String account, String user, String state,
        String trigger, boolean adopt, int keySize, String gracePeriod, Integer oldSlot, Integer slot,
        String oldFingerprint, String newFingerprint, int attempts, int maxAttempts, LastError lastError,
        String stoppedIn, String closedReason, Instant nextAttemptAt, Instant drainUntil, Instant createdAt, String createdBy, Instant startedAt,
        Instant finishedAt, Long durationMillis, List<Step> steps) {

    /** States in which nothing happens any more without a person. */
    static final Set<String> FINAL = Set.of("DONE", "ROLLED_BACK", "NEEDS_ATTENTION", "CLOSED");

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LastError(String type, String detail) {
    }

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(String step, String outcome, Instant startedAt, Instant finishedAt, String detail) {
    }

    /** The page keeps refreshing the steps while this is true. */
    public boolean active() {
        return !FINAL.contains(state);
    }

    public boolean needsAttention() {
        return "NEEDS_ATTENTION".equals(state);
    }

    public List<Step> stepList() {
        return steps == null ? List.of() : steps;
    }
}
