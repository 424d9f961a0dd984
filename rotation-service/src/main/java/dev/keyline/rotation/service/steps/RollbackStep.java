package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * ROLLING_BACK: UNSET only the new slot, only if it holds the new key. If the stored key already is
 * the new one (an ambiguous SWAP did happen), the run rolls forward instead.
 */
public class RollbackStep implements RotationStep {

    private final StepContext ctx;

    public RollbackStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        if (run.newFingerprint == null || run.targetSlot == null) {
            return StepResult.next(RunState.ROLLED_BACK, "nothing registered");
        }
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        if (run.newFingerprint.equals(slots.storedFingerprint())) {
            run.drainUntil = ctx.clock().instant().plus(run.gracePeriod);
            return StepResult.next(RunState.MOVE, "new key is stored: rolling forward");
        }
        String note = "slot " + run.targetSlot + " left as is";
        if (run.newFingerprint.equals(slots.fingerprint(run.targetSlot))) {
            try {
                // Compare-and-set on what was just read: a key put there since is not unset.
                ctx.connections().unsetKeySlot(run.connectionId, run.targetSlot, run.newFingerprint);
            } catch (ConnectionServiceException e) {
                if (e.transientFailure()) {
                    throw e;
                }
                if (e.is(ConnectionServiceException.KEY_SLOT_CHANGED)) {
                    return new StepResult.Retry(e.problemType(), "Slot " + run.targetSlot
                            + " changed while it was being rolled back; reading it again later");
                }
                return new StepResult.Attention(e.problemType(), "Rollback could not unset slot " + run.targetSlot
                        + ": " + e.getMessage());
            }
            note = "slot " + run.targetSlot + " unset";
        }
        ctx.store().recordKey(run.account, run.snowflakeUser, run.newFingerprint, run.id, RetireStep.RETIRED);
        return StepResult.next(RunState.ROLLED_BACK, note);
    }
}
