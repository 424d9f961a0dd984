package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/** RETIRE: UNSET the old slot, only while it still holds the key recorded in PLAN and that key is no longer stored. */
public class RetireStep implements RotationStep {

    public static final String RETIRED = "RETIRED";

    private final StepContext ctx;

    public RetireStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        String note;
        if (run.oldFingerprint.equals(slots.fingerprint(run.oldSlot))
                && !run.oldFingerprint.equals(slots.storedFingerprint())) {
            try {
                ctx.connections().unsetKeySlot(run.connectionId, run.oldSlot);
            } catch (ConnectionServiceException e) {
                if (e.transientFailure()) {
                    throw e;
                }
                return new StepResult.Fail(e.problemType(), e.getMessage());
            }
            note = "slot " + run.oldSlot + " unset";
        } else {
            note = "slot " + run.oldSlot + " no longer holds the old key; left as is";
        }
        ctx.store().recordKey(run.account, run.snowflakeUser, run.oldFingerprint, run.id, RETIRED);
        return StepResult.next(RunState.DONE, note);
    }
}
