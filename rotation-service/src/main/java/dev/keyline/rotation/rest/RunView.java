package dev.keyline.rotation.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.persistence.JdbcRunStore;

/** A rotation run as the API shows it: public values only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(UUID id, UUID connectionId, UUID policyId, String account, String user, String state,
        String trigger, boolean adopt, int keySize, String gracePeriod, Integer oldSlot, Integer slot,
        String oldFingerprint, String newFingerprint, int attempts, int maxAttempts, LastError lastError,
        Instant nextAttemptAt, Instant drainUntil, Instant createdAt, String createdBy, Instant startedAt,
        Instant finishedAt, Long durationMillis, List<JdbcRunStore.StepEntry> steps) {

    public record LastError(String type, String detail) {
    }

    public static RunView of(RotationRun r, List<JdbcRunStore.StepEntry> steps) {
        return new RunView(r.id, r.connectionId, r.policyId, r.account, r.snowflakeUser, r.state.name(), r.trigger,
                r.adopt, r.keySize, r.gracePeriod.toString(), r.oldSlot, r.targetSlot, r.oldFingerprint,
                r.newFingerprint, r.attempts, r.maxAttempts,
                r.lastErrorType == null ? null : new LastError(r.lastErrorType, r.lastErrorDetail),
                r.state.terminal() ? null : r.nextAttemptAt, r.drainUntil, r.createdAt, r.createdBy, r.startedAt,
                r.finishedAt, r.finishedAt == null ? null : r.finishedAt.toEpochMilli() - r.createdAt.toEpochMilli(),
                steps);
    }
}
