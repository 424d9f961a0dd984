package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * SWAP: connection-service logs in with the new key, then stores it with compare-and-set on the
 * credential version. Both keys are registered throughout, so the stored key always logs in.
 * An ambiguous failure (no answer, 5xx) is retried, never rolled back blindly: the next attempt
 * reads whether the swap happened.
 */
public class SwapStep implements RotationStep {

    private final StepContext ctx;

    public SwapStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        // As VERIFY saw them in this execution, or read now: the swap's compare-and-set and its login
        // with the new key refuse what changed since.
        SlotsView slots = ctx.slots(run);
        if (run.newFingerprint.equals(slots.storedFingerprint())) {
            return drain(run, "already swapped");
        }
        if (!run.oldFingerprint.equals(slots.storedFingerprint())) {
            return StepResult.fail("credential-changed", "The stored key changed to " + slots.storedFingerprint()
                    + " since PLAN (" + run.oldFingerprint + ")");
        }
        if (!run.newFingerprint.equals(slots.fingerprint(run.targetSlot))) {
            return StepResult.fail("new-key-not-registered", "Slot " + run.targetSlot + " no longer holds the new key");
        }
        PendingKey key = ctx.pendingKeys().find(run.id).orElse(null);
        if (key == null) {
            return StepResult.fail("pending-key-missing", "The pending key of this run is missing from Vault");
        }
        try {
            ctx.connections().swapCredentials(run.connectionId, key.privateKeyPem(), key.passphrase(),
                    slots.credentialVersion());
        } catch (ConnectionServiceException e) {
            if (e.status() == 409) {
                SlotsView again = ctx.connections().keySlots(run.connectionId);
                if (run.newFingerprint.equals(again.storedFingerprint())) {
                    return drain(run, "swapped by an earlier attempt");
                }
                // The version moved, the key did not (the connection was saved meanwhile): read again on
                // the next attempt, which swaps with the new version or, if the key changed, fails then.
                return new StepResult.Retry(e.problemType(), e.getMessage());
            }
            if (e.transientFailure()) {
                throw e;
            }
            // 422: the new key does not log in; 400/404: refused. Nothing was stored.
            return new StepResult.Fail(e.problemType(), e.getMessage());
        }
        return drain(run, "stored");
    }

    /** The grace period counts from the swap; first the other holders of the old key move (MOVE). */
    private StepResult drain(RotationRun run, String note) {
        run.drainUntil = ctx.clock().instant().plus(run.gracePeriod);
        return StepResult.next(RunState.MOVE, note);
    }
}
