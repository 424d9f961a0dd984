package dev.keyline.rotation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Persistence the rotation engine needs: the run itself, its step log and the keys this system registered. */
public interface RunStore {

    /** Persists every field of the run; throws {@link LeaseLostException} when another worker holds it now. */
    void save(RotationRun run);

    /**
     * Persists the run and its audit events together (one transaction in the database): an event
     * is never recorded for a step whose result was not saved, nor lost for one that was.
     */
    default void save(RotationRun run, List<AuditNote> events) {
        save(run);
    }

    /**
     * An audit event of a run, written by the worker (actor {@link #ACTOR}). Public values only:
     * fingerprints, slots, problem types.
     */
    record AuditNote(String action, String outcome, String fingerprints, String detail) {
    }

    /** The actor of audit events the worker writes; a run's start names its requester (or "scheduler"). */
    String ACTOR = "rotation-service";

    void logStep(UUID runId, String step, String outcome, Instant startedAt, Instant finishedAt, String detail);

    /** Whether this system registered (or retired) this key for the user. */
    boolean isKnownKey(String account, String user, String fingerprint);

    void recordKey(String account, String user, String fingerprint, UUID runId, String status);

    class LeaseLostException extends RuntimeException {
        public LeaseLostException(UUID runId) {
            super("lease on run " + runId + " is held by another worker");
        }
    }
}
