package dev.keyline.rotation.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunStore;

/**
 * A rotation run as the API shows it: public values only. {@code owner} is whose share of the workers the
 * run uses (rotation-service.worker.concurrency-per-owner): who requested it, for a scheduled run who last
 * saved its policy, for a retried one who retried it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(UUID id, UUID connectionId, UUID policyId, String account, String user, String state,
        String trigger, boolean adopt, int keySize, String gracePeriod, Integer oldSlot, Integer slot,
        String oldFingerprint, String newFingerprint, int attempts, int maxAttempts, LastError lastError,
        String stoppedIn, String closedReason, Instant nextAttemptAt, Instant drainUntil, Instant createdAt,
        String createdBy, String owner, Instant startedAt, Instant finishedAt, Long durationMillis, List<Step> steps) {

    public record LastError(String type, String detail) {
    }

    /** One row of the step log. */
    public record Step(String step, String outcome, Instant startedAt, Instant finishedAt, String detail) {

        static Step of(RunStore.StepLog s) {
            return new Step(s.step(), s.outcome(), s.startedAt(), s.finishedAt(), s.detail());
        }
    }

    /** @param steps null leaves the step log out (lists) */
    public static RunView of(RotationRun r, List<RunStore.StepLog> steps) {
        return new RunView(r.id, r.connectionId, r.policyId, r.account, r.snowflakeUser, r.state.name(), r.trigger,
                r.adopt, r.keySize, r.gracePeriod.toString(), r.oldSlot, r.targetSlot, r.oldFingerprint,
                r.newFingerprint, r.attempts, r.maxAttempts,
                r.lastErrorType == null ? null : new LastError(r.lastErrorType, r.lastErrorDetail),
                r.stoppedIn == null ? null : r.stoppedIn.name(), r.closedReason,
                r.state.terminal() ? null : r.nextAttemptAt, r.drainUntil, r.createdAt, r.createdBy, r.owner, r.startedAt,
                r.finishedAt, r.finishedAt == null ? null : r.finishedAt.toEpochMilli() - r.createdAt.toEpochMilli(),
                steps == null ? null : steps.stream().map(Step::of).toList());
    }
}
