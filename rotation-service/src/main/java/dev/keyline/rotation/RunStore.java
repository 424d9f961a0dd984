package dev.keyline.rotation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Persistence the rotation engine needs: the run itself, its step log and the keys this system registered. */
public interface RunStore {

    /**
     * Persists the run, the step-log rows and the audit events of what just happened, together: one
     * transaction in the database, fenced by the lease. A worker that lost the run's lease writes
     * nothing at all ({@link LeaseLostException}); an event or step row is never recorded for a
     * result that was not saved, nor lost for one that was.
     */
    void save(RotationRun run, List<StepLog> steps, List<AuditNote> events);

    /** Persists every field of the run; throws {@link LeaseLostException} when another worker holds it now. */
    default void save(RotationRun run) {
        save(run, List.of(), List.of());
    }

    /** One row of a run's step log: what a step ended with. Public values only, like the run. */
    record StepLog(String step, String outcome, Instant startedAt, Instant finishedAt, String detail) {
    }

    /**
     * An audit event of a run, written by the worker (actor {@link #ACTOR}). Public values only:
     * fingerprints, slots, problem types.
     */
    record AuditNote(String action, String outcome, String fingerprints, String detail) {
    }

    /** The actor of audit events the worker writes; a run's start names its requester (or "scheduler"). */
    String ACTOR = "rotation-service";

    /** Whether this system registered (or retired) this key for the user. */
    boolean isKnownKey(String account, String user, String fingerprint);

    void recordKey(String account, String user, String fingerprint, UUID runId, String status);

    class LeaseLostException extends RuntimeException {
        public LeaseLostException(UUID runId) {
            super("lease on run " + runId + " is held by another worker");
        }
    }
}
