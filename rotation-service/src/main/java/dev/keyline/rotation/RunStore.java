package dev.keyline.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

    /** Whether this system registered (or retired) this key for the user; account and user compared as {@link #caseless}. */
    boolean isKnownKey(String account, String user, String fingerprint);

    /** Records a key this system registered or retired for the user, keyed as {@link #caseless}. */
    void recordKey(String account, String user, String fingerprint, UUID runId, String status);

    /**
     * The form account and user names take as keys of the known-key record. Runs and policies keep the
     * names as connection-service gives them (what users see there); two connections may spell one
     * Snowflake user differently ({@code svc_orders}, {@code SVC_ORDERS}), and a key registered through
     * one must be known through the other. Lower case, as the record has been keyed from the start.
     */
    static String caseless(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    class LeaseLostException extends RuntimeException {
        public LeaseLostException(UUID runId) {
            super("lease on run " + runId + " is held by another worker");
        }
    }
}
