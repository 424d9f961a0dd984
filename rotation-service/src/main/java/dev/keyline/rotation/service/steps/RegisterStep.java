package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;

/**
 * REGISTER: SET the free slot to the new public key (skipped when it already holds it), always as a
 * compare-and-set on what the slot holds (connection-service checks it under the user's lock), so
 * a key put there after the decision is never overwritten.
 *
 * <p>
 * Right after PLAN in the same execution (GENERATE in between) the step does not read the slots: it
 * expects the target slot to hold what PLAN saw and approved there (empty, a key this system
 * registered or retired, or one to adopt). If it still does, today's checks would all pass as they
 * did in PLAN — and the ones that depend on other state (the slot's key stored by this or another
 * connection) connection-service makes under the same lock (409 {@code slot-holds-stored-key} /
 * {@code key-in-use}). If it does not (409 {@code key-slot-changed}, or the slot's key became the
 * stored one), the step reads the slots and decides as it always did. A resumed or retried REGISTER
 * reads first.
 */
public class RegisterStep implements RotationStep {

    private final StepContext ctx;

    public RegisterStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        int slot = run.targetSlot;
        SlotsView planned = ctx.seenSlots(run);
        if (planned != null) {
            PendingKey key = ctx.pendingKeys().find(run.id).orElse(null);
            if (key != null) {
                try {
                    run.slotsSeen = ctx.connections().setKeySlot(run.connectionId, slot, key.publicKeyPem(),
                            planned.fingerprint(slot));
                    return StepResult.next(RunState.VERIFY, "slot " + slot + " set");
                } catch (ConnectionServiceException e) {
                    if (!e.slotNotAsExpected()) {
                        throw e;
                    }
                    // Changed since PLAN: read and decide below, as a REGISTER without PLAN's view does.
                }
            }
        }
        SlotsView slots = ctx.connections().keySlots(run.connectionId);
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
        try {
            // A refusal is the engine's: transient ones retried, the others a Fail (rollback).
            run.slotsSeen = ctx.connections().setKeySlot(run.connectionId, slot, key.publicKeyPem(), there);
        } catch (ConnectionServiceException e) {
            if (!e.slotNotAsExpected()) {
                throw e;
            }
            // Changed between this read and the SET: the retry reads again and decides.
            return new StepResult.Retry(e.problemType(), e.getMessage());
        }
        return StepResult.next(RunState.VERIFY, "slot " + slot + " set");
    }
}
