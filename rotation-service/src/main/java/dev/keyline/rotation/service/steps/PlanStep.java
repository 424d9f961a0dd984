package dev.keyline.rotation.service.steps;

import java.util.List;

import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * PLAN: the slot holding the stored key is current; the other one must be empty or hold a key this
 * system registered or retired (an unknown key is only replaced when the run says adopt), and never
 * a key another managed connection of the user stores.
 */
public class PlanStep implements RotationStep {

    private final StepContext ctx;

    public PlanStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        ConnectionInfo c = ctx.connections().connection(run.connectionId);
        if (!c.isKeyPair()) {
            return StepResult.attention("not-key-pair", "Connection " + run.connectionId + " does not use key-pair auth");
        }
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        String stored = slots.storedFingerprint();
        int current = slots.slotOf(stored);
        if (stored == null || current == 0) {
            return StepResult.attention("stored-key-not-registered", "The stored key " + stored
                    + " is in neither key slot of user " + run.snowflakeUser + "; rotation would not know which slot is safe");
        }
        int other = 3 - current;
        String otherFp = slots.fingerprint(other);
        if (stored.equals(otherFp)) {
            return StepResult.attention("stored-key-in-both-slots",
                    "Both slots hold the stored key " + stored + "; unset one by hand, then rotate");
        }
        if (otherFp != null) {
            String inOther = otherFp;
            List<String> using = ctx.connections().keyHolders(run.connectionId).stream()
                    .filter(h -> inOther.equals(h.keyFingerprint())).map(KeyHolder::describe).toList();
            if (!using.isEmpty()) {
                // Even with adopt: REGISTER would replace the key these connections log in with.
                return StepResult.attention("slot-in-use", "Slot " + other + " holds " + otherFp + ", the stored key of "
                        + String.join(", ", using) + "; replacing it would lock them out. Move them to the key "
                        + stored + " first");
            }
        }
        if (otherFp != null && !run.adopt && !ctx.store().isKnownKey(run.account, run.snowflakeUser, otherFp)) {
            return StepResult.attention("unknown-key-in-slot", "Slot " + other + " holds " + otherFp
                    + ", a key this system did not register; rotate with adopt=true to replace it");
        }
        run.oldFingerprint = stored;
        run.oldSlot = current;
        run.targetSlot = other;
        // For REGISTER of this execution: what it may expect in the target slot (StepContext#seenSlots).
        run.slotsSeen = slots;
        return StepResult.next(RunState.GENERATE, "slot " + current + " -> " + other);
    }
}
