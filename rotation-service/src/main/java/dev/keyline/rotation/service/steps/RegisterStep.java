package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/** REGISTER: SET the free slot to the new public key (skipped when it already holds it). */
public class RegisterStep implements RotationStep {

    private final StepContext ctx;

    public RegisterStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
        int slot = run.targetSlot;
        String there = slots.fingerprint(slot);
        if (run.newFingerprint.equals(there)) {
            run.slotsSeen = slots;
            return StepResult.next(RunState.VERIFY, "slot " + slot + " already holds the new key");
        }
        if (there != null && there.equals(slots.storedFingerprint())) {
            return StepResult.fail("slot-holds-stored-key", "Slot " + slot + " now holds the stored key; it changed since PLAN");
        }
        if (there != null && !run.adopt && !ctx.store().isKnownKey(run.account, run.snowflakeUser, there)) {
            return StepResult.fail("unknown-key-in-slot", "Slot " + slot + " now holds " + there
                    + ", a key this system did not register");
        }
        PendingKey key = ctx.pendingKeys().find(run.id).orElse(null);
        if (key == null) {
            return StepResult.fail("pending-key-missing", "The pending key of this run is missing from Vault");
        }
        // A refusal is the engine's: transient ones retried, the others a Fail (rollback).
        run.slotsSeen = ctx.connections().setKeySlot(run.connectionId, slot, key.publicKeyPem());
        return StepResult.next(RunState.VERIFY, "slot " + slot + " set");
    }
}
