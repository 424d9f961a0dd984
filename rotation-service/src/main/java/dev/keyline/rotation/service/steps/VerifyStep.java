package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * VERIFY: DESC USER shows the new fingerprint in the target slot, and a real login with the new
 * private key succeeds (connection-service logs in with it without storing it). Only then may the
 * stored credential depend on the new key; SWAP logs in once more before it stores it.
 */
public class VerifyStep implements RotationStep {

    private final StepContext ctx;

    public VerifyStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        // DESC USER as REGISTER's SET answered it in this execution, or read now.
        SlotsView slots = ctx.slots(run);
        if (run.newFingerprint.equals(slots.storedFingerprint())) {
            return StepResult.next(RunState.SWAP, "already stored");
        }
        if (!run.newFingerprint.equals(slots.fingerprint(run.targetSlot))) {
            return StepResult.fail("new-key-not-registered", "Slot " + run.targetSlot + " shows "
                    + slots.fingerprint(run.targetSlot) + " instead of the new key " + run.newFingerprint);
        }
        PendingKey key = ctx.pendingKeys().find(run.id).orElse(null);
        if (key == null) {
            return StepResult.fail("pending-key-missing", "The pending key of this run is missing from Vault");
        }
        // 422 (Snowflake refuses the new key although DESC USER shows it) becomes a Fail in the engine.
        ctx.connections().checkKey(run.connectionId, key.privateKeyPem(), key.passphrase());
        run.slotsSeen = slots;
        return StepResult.next(RunState.SWAP, "slot " + run.targetSlot + " shows the new key; it logs in");
    }
}
