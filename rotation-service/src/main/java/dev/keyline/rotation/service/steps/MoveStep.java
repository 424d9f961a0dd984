package dev.keyline.rotation.service.steps;

import java.util.ArrayList;
import java.util.List;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;

/**
 * MOVE: every other managed connection of the user that still stores the old key is moved to the
 * new one, each through connection-service's credential swap, which logs in with the new key before
 * it stores it (compare-and-set on that connection's credential version). Both keys stay registered
 * throughout, so every connection's stored key keeps matching a slot; RETIRE comes only after every
 * holder has moved.
 *
 * <p>A connection that cannot be moved stops the run here, in NEEDS_ATTENTION, with a reason naming
 * it (the others are still moved first); the pending key is kept so that a retry resumes here. When
 * every failure is transient (no answer, 5xx, a credential version that moved meanwhile) the step is
 * retried with backoff instead. Re-reading the holders first makes a repeat harmless: connections
 * already on the new key are skipped.
 */
public class MoveStep implements RotationStep {

    private final StepContext ctx;

    public MoveStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        List<String> moved = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        boolean onlyTransient = true;
        PendingKey key = null;
        for (KeyHolder h : ctx.connections().keyHolders(run.connectionId)) {
            if (h.id().equals(run.connectionId) || !run.oldFingerprint.equals(h.keyFingerprint())) {
                continue;
            }
            if (key == null) {
                key = ctx.pendingKeys().find(run.id).orElse(null);
                if (key == null) {
                    return StepResult.attention("pending-key-missing", "The pending key of this run is missing from "
                            + "Vault; " + h.describe() + " still holds the old key " + run.oldFingerprint);
                }
            }
            try {
                int version = h.credentialVersion() != null ? h.credentialVersion()
                        : ctx.connections().connection(h.id()).credentialVersion();
                ctx.connections().swapCredentials(h.id(), key.privateKeyPem(), key.passphrase(), version);
                moved.add(h.describe());
            } catch (ConnectionServiceException e) {
                // 409: its credential version moved since it was listed; read again on the next attempt.
                onlyTransient &= e.transientFailure() || e.status() == 409;
                failed.add(h.describe() + ": " + e.getMessage());
            }
        }
        if (failed.isEmpty()) {
            run.othersMovedSeen = true;
            return StepResult.next(RunState.DRAIN, moved.isEmpty() ? "no other connection holds the old key"
                    : MOVED + String.join(", ", moved));
        }
        String detail = "Not moved to the new key, still holding the old key " + run.oldFingerprint + ": "
                + String.join("; ", failed) + (moved.isEmpty() ? "" : "; moved: " + String.join(", ", moved));
        return onlyTransient ? new StepResult.Retry(StepResult.type("connection-not-moved"), detail)
                : StepResult.attention("connection-not-moved", detail);
    }

    /** How the step's note starts when it moved connections (the engine audits those). */
    public static final String MOVED = "moved to the new key: ";
}
