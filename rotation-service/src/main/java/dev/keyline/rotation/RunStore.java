package dev.keyline.rotation;

import java.time.Instant;
import java.util.UUID;

/** Persistence the rotation engine needs: the run itself, its step log and the keys this system registered. */
public interface RunStore {

    /** Persists every field of the run; throws {@link LeaseLostException} when another worker holds it now. */
    void save(RotationRun run);

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
