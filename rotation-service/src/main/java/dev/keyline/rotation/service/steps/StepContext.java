package dev.keyline.rotation.service.steps;

import java.time.Clock;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunStore;
import dev.keyline.rotation.SlotsView;

/**
 * What steps use: connection-service, Vault, the database, the clock, and where new keys come from
 * (the reserve of keys generated ahead, else generation on the bounded key pool).
 */
public record StepContext(ConnectionPort connections, PendingKeys pendingKeys, RunStore store, Clock clock,
        KeyReserve newKeys) {

    /** Without a key reserve: every GENERATE makes its key on demand on {@code keyWork}. */
    public StepContext(ConnectionPort connections, PendingKeys pendingKeys, RunStore store, Clock clock,
            int pbkdf2Iterations, BoundedWork keyWork) {
        this(connections, pendingKeys, store, clock, KeyReserve.none(keyWork, pbkdf2Iterations));
    }

    /**
     * The key slots for a step that checks them before it acts: what the previous step of this
     * execution saw last (taken, so it serves once), else read from connection-service. VERIFY and
     * SWAP call it, and get a seen view only right after REGISTER or VERIFY; the action it guards is
     * fenced by connection-service anyway (SWAP's compare-and-set on the credential version and its
     * login with the new key), so a change in between fails that action as it would have failed the
     * read.
     */
    public SlotsView slots(RotationRun run) {
        SlotsView seen = seenSlots(run);
        return seen != null ? seen : connections.keySlots(run.connectionId);
    }

    /**
     * What the previous step of this execution saw last (taken, so it serves once), or null. For
     * REGISTER right after GENERATE: the slots as PLAN saw and approved them; without them REGISTER
     * reads the slots itself. REGISTER only uses them as the expectation of its compare-and-set SET,
     * so a change since PLAN fails the SET (409 {@code key-slot-changed}, nothing changed) and
     * REGISTER reads and decides as without them.
     */
    public SlotsView seenSlots(RotationRun run) {
        SlotsView seen = run.slotsSeen;
        run.slotsSeen = null;
        return seen;
    }

    /**
     * Whether MOVE of this execution, just before, left no other managed connection of the user on
     * the old key (taken, so it serves once); else RETIRE lists them itself. Skipping that listing
     * loses no protection: connection-service's UNSET refuses, under the user's lock, a key that any
     * managed connection stores (409 {@code key-in-use}), and RETIRE's retry then lists them and goes
     * back to MOVE.
     */
    public boolean othersMoved(RotationRun run) {
        boolean seen = run.othersMovedSeen;
        run.othersMovedSeen = false;
        return seen;
    }
}
