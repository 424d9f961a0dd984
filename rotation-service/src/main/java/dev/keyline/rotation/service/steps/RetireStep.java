package dev.keyline.rotation.service.steps;

import java.util.List;

import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * RETIRE: UNSET the old slot, only while it still holds the key recorded in PLAN and no managed
 * connection of the user stores that key any more. One that does (say, created with the old key
 * while the run drained) sends the run back to MOVE instead: unsetting would lock it out. Right
 * after MOVE in the same execution the listing is skipped (StepContext#othersMoved says why that
 * is safe); the slots are always read here, as the old slot may hold someone else's key by now.
 */
public class RetireStep implements RotationStep {

    public static final String RETIRED = "RETIRED";

    private final StepContext ctx;

    public RetireStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        // Right after MOVE in this execution they are all on the new key; otherwise list them.
        List<String> holders = ctx.othersMoved(run) ? List.of() : ctx.connections().keyHolders(run.connectionId)
                .stream().filter(h -> !h.id().equals(run.connectionId) && run.oldFingerprint.equals(h.keyFingerprint()))
                .map(KeyHolder::describe).toList();
        if (!holders.isEmpty()) {
            return StepResult.next(RunState.MOVE, "still holding the old key: " + String.join(", ", holders));
        }
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        String note;
        if (run.oldFingerprint.equals(slots.fingerprint(run.oldSlot))
                && !run.oldFingerprint.equals(slots.storedFingerprint())) {
            // A refusal is the engine's: transient ones retried, the others retried too (after SWAP).
            ctx.connections().unsetKeySlot(run.connectionId, run.oldSlot);
            note = "slot " + run.oldSlot + " unset";
        } else {
            note = "slot " + run.oldSlot + " no longer holds the old key; left as is";
        }
        ctx.store().recordKey(run.account, run.snowflakeUser, run.oldFingerprint, run.id, RETIRED);
        return StepResult.next(RunState.DONE, note);
    }
}
