package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * VERIFY: DESC USER shows the new fingerprint in the target slot. The real login with the new key
 * is made by connection-service inside SWAP ("log in first, then store").
 */
public class VerifyStep implements RotationStep {

    private final StepContext ctx;

    public VerifyStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        if (run.newFingerprint.equals(slots.storedFingerprint())) {
            return StepResult.next(RunState.SWAP, "already stored");
        }
        if (!run.newFingerprint.equals(slots.fingerprint(run.targetSlot))) {
            return StepResult.fail("new-key-not-registered", "Slot " + run.targetSlot + " shows "
                    + slots.fingerprint(run.targetSlot) + " instead of the new key " + run.newFingerprint);
        }
        return StepResult.next(RunState.SWAP);
    }
}
