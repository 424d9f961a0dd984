package dev.keyline.rotation.service.steps;

import java.util.List;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * RETIRE: UNSET the old slot, only while it still holds the key recorded in PLAN and no managed
 * connection of the user stores that key any more. One that does (say, created with the old key
 * while the run drained) sends the run back to MOVE instead: unsetting would lock it out. Right
 * after MOVE in the same execution the listing is skipped (StepContext#othersMoved says why that
 * is safe).
 *
 * <p>
 * The slots are not read first: the UNSET is a compare-and-set expecting the PLAN key in the old
 * slot, which connection-service checks under the user's lock together with "not the stored key"
 * (409 {@code slot-holds-stored-key}) and "no other holder's key" (409 {@code key-in-use}, which
 * stays the engine's: retried, the retry lists the holders). When the slot holds something else, or
 * the old key is stored again, the step reads the slots and decides as it did before it stopped
 * reading first: it leaves the slot as it is.
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
        String note;
        if (unsetOld(run)) {
            note = "slot " + run.oldSlot + " unset";
        } else {
            SlotsView slots = ctx.connections().keySlots(run.connectionId);
            if (run.oldFingerprint.equals(slots.fingerprint(run.oldSlot))
                    && !run.oldFingerprint.equals(slots.storedFingerprint())) {
                // Changed and changed back since the UNSET was refused: unset it now.
                if (!unsetOld(run)) {
                    return new StepResult.Retry(StepResult.type(ConnectionServiceException.KEY_SLOT_CHANGED),
                            "Slot " + run.oldSlot + " changed while it was being retired; reading it again later");
                }
                note = "slot " + run.oldSlot + " unset";
            } else {
                note = "slot " + run.oldSlot + " no longer holds the old key; left as is";
            }
        }
        ctx.store().recordKey(run.account, run.snowflakeUser, run.oldFingerprint, run.id, RETIRED);
        return StepResult.next(RunState.DONE, note);
    }

    /**
     * UNSET of the old slot expecting the PLAN key in it.
     *
     * @return false when connection-service refused because the slot does not hold it or it is the
     *     stored key (nothing changed); its other refusals are the engine's (transient ones retried,
     *     the others retried too, after SWAP)
     */
    private boolean unsetOld(RotationRun run) {
        try {
            ctx.connections().unsetKeySlot(run.connectionId, run.oldSlot, run.oldFingerprint);
            return true;
        } catch (ConnectionServiceException e) {
            if (e.slotNotAsExpected()) {
                return false;
            }
            throw e;
        }
    }
}
