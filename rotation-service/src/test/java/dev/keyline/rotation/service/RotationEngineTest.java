package dev.keyline.rotation.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.service.steps.StepContext;

/**
 * The state machine against an in-memory connection-service, Vault and database: happy paths,
 * adopt, a fault at every remote-call boundary (before and after it takes effect; transient error,
 * permanent refusal and process crash) followed by resume, and giving up after maxAttempts. After
 * every engine invocation the invariant must hold: the stored key is registered in a slot.
 */
class RotationEngineTest {

    static final String INITIAL = "SHA256:initial-key-uploaded-by-a-human=";

    /** Key generation's bounded pool, shared by every world of this class (daemon threads). */
    static final BoundedWork KEY_WORK = new BoundedWork("keys", "key generation", 2, 64, false, 1, Duration.ofSeconds(5));

    static final class World {
        final Faults faults = new Faults();
        final FakeConnectionService cs = new FakeConnectionService(faults, INITIAL);
        final InMemoryPendingKeys keys = new InMemoryPendingKeys(faults);
        final HeldPendingKeys held = new HeldPendingKeys(keys);
        final InMemoryRunStore store = new InMemoryRunStore();
        final MutableClock clock = new MutableClock();
        final List<RotationRun> finished = new ArrayList<>();
        final RotationEngine engine = new RotationEngine(new StepContext(cs, held, store, clock, 1000, KEY_WORK),
                new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5)), finished::add);

        RotationRun newRun(boolean adopt, Duration grace) {
            RotationRun run = RotationRun.create(cs.id, "acme", "SVC", clock.instant());
            run.adopt = adopt;
            run.gracePeriod = grace;
            store.save(run);
            return run;
        }

        /** Runs the scheduler loop: execute, and on a crash or a wait, resume from the persisted state later. */
        RotationRun drive(UUID runId) {
            for (int i = 0; i < 100; i++) {
                RotationRun run = store.load(runId);
                if (run.state.terminal()) {
                    return run;
                }
                if (run.nextAttemptAt != null && run.nextAttemptAt.isAfter(clock.instant())) {
                    clock.now = run.nextAttemptAt;
                }
                try {
                    engine.execute(run);
                } catch (Faults.Crash crash) {
                    // the process died: only what was saved survives
                }
                assertThat(cs.invariantHolds()).as("invariant after %s (trace %s)", store.load(runId).state,
                        faults.trace).isTrue();
            }
            throw new AssertionError("run did not finish: " + store.load(runId));
        }

        /** Every save is the end of a step: the invariant must hold for every connection there. */
        void checkInvariantAfterEveryStep() {
            store.afterSave = () -> assertThat(cs.invariantHolds()).as("every stored key is registered after a step "
                    + "(slots %s / %s, trace %s)", cs.slot1, cs.slot2, faults.trace).isTrue();
        }

        Set<String> occupiedSlots() {
            Set<String> s = new HashSet<>();
            if (cs.slot1 != null) {
                s.add(cs.slot1);
            }
            if (cs.slot2 != null) {
                s.add(cs.slot2);
            }
            return s;
        }
    }

    @Test
    void happyPathAlternatesSlotsOneTwoOne() {
        World w = new World();
        RotationRun first = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(first.state).isEqualTo(RunState.DONE);
        assertThat(first.oldSlot).isEqualTo(1);
        assertThat(first.targetSlot).isEqualTo(2);
        assertThat(first.oldFingerprint).isEqualTo(INITIAL);
        assertThat(w.cs.stored).isEqualTo(first.newFingerprint);
        assertThat(w.cs.slot1).isNull();
        assertThat(w.cs.slot2).isEqualTo(first.newFingerprint);
        assertThat(w.keys.keys).isEmpty();
        assertThat(w.store.steps).containsSubsequence("PLAN:OK", "GENERATE:OK", "REGISTER:OK", "VERIFY:OK", "SWAP:OK",
                "DRAIN:OK", "RETIRE:OK", "DONE:OK");

        RotationRun second = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(second.state).isEqualTo(RunState.DONE);
        assertThat(second.oldSlot).isEqualTo(2);
        assertThat(second.targetSlot).isEqualTo(1);
        assertThat(w.cs.slot1).isEqualTo(second.newFingerprint).isEqualTo(w.cs.stored);
        assertThat(w.cs.slot2).isNull();
        assertThat(w.keys.generated).isEqualTo(2);
        assertThat(w.finished).hasSize(2);
    }

    @Test
    void auditRecordsEveryTransitionOfConsequenceWithFingerprints() {
        World w = new World();
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(w.store.auditActions()).containsExactly("rotation.key-registered", "rotation.credentials-swapped",
                "rotation.key-retired", "rotation.done");
        assertThat(w.store.audit.get(0)).startsWith("rotation.key-registered SUCCESS " + run.newFingerprint + " | slot 2");
        assertThat(w.store.audit.get(1))
                .startsWith("rotation.credentials-swapped SUCCESS " + INITIAL + " -> " + run.newFingerprint);
        assertThat(w.store.audit.get(2)).startsWith("rotation.key-retired SUCCESS " + INITIAL + " | slot 1");
        assertThat(w.store.audit.get(3)).isEqualTo("rotation.done SUCCESS " + INITIAL + " -> " + run.newFingerprint
                + " | slot 1 -> 2");
    }

    @Test
    void auditRecordsRollbackAndNeedsAttentionWithTheProblemType() {
        World w = new World();
        w.faults.failAt = indexOf("swapCredentials");
        w.faults.kind = Faults.Kind.PERMANENT;
        RotationRun rolledBack = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(rolledBack.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(w.store.auditActions()).containsExactly("rotation.key-registered", "rotation.rollback-started",
                "rotation.rolled-back");
        assertThat(w.store.audit.get(1)).startsWith("rotation.rollback-started FAILED " + rolledBack.newFingerprint
                + " | in SWAP: " + rolledBack.lastErrorType);
        assertThat(w.store.audit.get(2)).contains("cause: " + rolledBack.lastErrorType);

        World v = new World();
        v.cs.slot2 = "SHA256:someone-elses-key=";
        RotationRun refused = v.drive(v.newRun(false, Duration.ZERO).id);
        assertThat(refused.state).isEqualTo(RunState.NEEDS_ATTENTION);
        // Refused in PLAN: no key was chosen or generated, so no fingerprint.
        assertThat(v.store.audit).containsExactly(
                "rotation.needs-attention FAILED null | in PLAN: urn:keyline:problem:unknown-key-in-slot");
    }

    @Test
    void drainWaitsWithoutHoldingTheRun() {
        World w = new World();
        RotationRun run = w.newRun(false, Duration.ofHours(1));
        w.engine.execute(w.store.load(run.id));
        RotationRun draining = w.store.load(run.id);
        assertThat(draining.state).isEqualTo(RunState.DRAIN);
        assertThat(draining.nextAttemptAt).isEqualTo(draining.drainUntil);
        assertThat(w.occupiedSlots()).containsExactlyInAnyOrder(INITIAL, draining.newFingerprint);
        assertThat(w.cs.stored).isEqualTo(draining.newFingerprint);
        w.clock.advance(Duration.ofMinutes(59));
        w.engine.execute(w.store.load(run.id));
        assertThat(w.store.load(run.id).state).isEqualTo(RunState.DRAIN);
        w.clock.advance(Duration.ofMinutes(2));
        w.engine.execute(w.store.load(run.id));
        assertThat(w.store.load(run.id).state).isEqualTo(RunState.DONE);
        assertThat(w.cs.slot1).isNull();
    }

    @Test
    void unknownKeyInTheOtherSlotIsRefusedUnlessAdopted() {
        World w = new World();
        w.cs.slot2 = "SHA256:someone-elses-key=";
        RotationRun refused = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(refused.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(refused.lastErrorType).isEqualTo("urn:keyline:problem:unknown-key-in-slot");
        assertThat(w.cs.slot2).isEqualTo("SHA256:someone-elses-key=");
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        assertThat(w.keys.generated).isZero();

        RotationRun adopted = w.drive(w.newRun(true, Duration.ZERO).id);
        assertThat(adopted.state).isEqualTo(RunState.DONE);
        assertThat(w.cs.slot2).isEqualTo(adopted.newFingerprint).isEqualTo(w.cs.stored);
    }

    @Test
    void storedKeyInNoSlotNeedsAttention() {
        World w = new World();
        w.cs.slot1 = null;
        w.cs.slot2 = "SHA256:other=";
        RotationRun created = w.newRun(true, Duration.ZERO);
        w.engine.execute(w.store.load(created.id));
        RotationRun run = w.store.load(created.id);
        assertThat(run.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(run.lastErrorType).endsWith("stored-key-not-registered");
        assertThat(w.faults.trace).doesNotContain("setKeySlot", "unsetKeySlot", "swapCredentials");
    }

    @Test
    void aFaultAtEveryBoundaryEndsCleanly() {
        World clean = new World();
        clean.drive(clean.newRun(false, Duration.ZERO).id);
        int calls = clean.faults.counter;
        assertThat(calls).as("7 calls to connection-service and 3 to Vault").isEqualTo(10);
        List<String> cases = new ArrayList<>();
        for (int n = 0; n < calls; n++) {
            for (Faults.When when : Faults.When.values()) {
                for (Faults.Kind kind : Faults.Kind.values()) {
                    World w = new World();
                    w.faults.failAt = n;
                    w.faults.when = when;
                    w.faults.kind = kind;
                    RotationRun end = w.drive(w.newRun(false, Duration.ZERO).id);
                    String label = kind + " " + when + " call " + n + " (" + clean.faults.trace.get(n) + ")";
                    cases.add(label + " -> " + end.state);
                    assertThat(end.state).as(label).isIn(RunState.DONE, RunState.ROLLED_BACK);
                    if (kind != Faults.Kind.PERMANENT) {
                        assertThat(end.state).as(label + ": one transient fault or crash must not stop a rotation")
                                .isEqualTo(RunState.DONE);
                    }
                    assertThat(w.cs.invariantHolds()).as(label).isTrue();
                    assertThat(w.occupiedSlots()).as(label + ": no orphan key").containsExactly(w.cs.stored);
                    assertThat(w.keys.keys).as(label + ": pending key removed").isEmpty();
                    assertThat(w.keys.generated).as(label + ": one key per run").isLessThanOrEqualTo(1);
                    if (end.state == RunState.ROLLED_BACK) {
                        assertThat(w.cs.stored).as(label).isEqualTo(INITIAL);
                    } else {
                        assertThat(w.cs.stored).as(label).isEqualTo(end.newFingerprint);
                    }
                }
            }
        }
        assertThat(cases).hasSize(calls * 6);
        assertThat(cases).anyMatch(c -> c.contains("swapCredentials") && c.startsWith("CRASH AFTER") && c.endsWith("DONE"));
        assertThat(cases).anyMatch(c -> c.startsWith("PERMANENT") && c.endsWith("ROLLED_BACK"));
    }

    @Test
    void newKeyThatDoesNotLogInRollsBack() {
        World w = new World();
        // connection-service answers 422 to the swap: the new key did not log in
        w.faults.failAt = indexOf("swapCredentials");
        w.faults.kind = Faults.Kind.PERMANENT;
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        assertThat(w.cs.slot1).isEqualTo(INITIAL);
        assertThat(w.cs.slot2).isNull();
        assertThat(w.store.isKnownKey("acme", "SVC", run.newFingerprint)).isTrue();
        // the next run may reuse the slot and rotates normally
        assertThat(w.drive(w.newRun(false, Duration.ZERO).id).state).isEqualTo(RunState.DONE);
    }

    @Test
    void newKeyRefusedAtVerifyRollsBackWithoutTryingTheSwap() {
        World w = new World();
        // DESC USER shows the new key, but Snowflake refuses a login with it (422)
        w.faults.failAt = indexOf("checkKey");
        w.faults.kind = Faults.Kind.PERMANENT;
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(w.faults.trace).doesNotContain("swapCredentials");
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        assertThat(w.cs.slot2).isNull();
    }

    @Test
    void transientFailuresBackOffThenRollBackBeforeSwap() {
        World w = new World();
        w.faults.alwaysFail = "setKeySlot";
        RotationRun run = w.newRun(false, Duration.ZERO);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RotationRun current = w.store.load(run.id);
            if (current.state.terminal() || current.state == RunState.ROLLING_BACK) {
                break;
            }
            w.engine.execute(current);
            RotationRun after = w.store.load(run.id);
            if (after.state == RunState.REGISTER) {
                delays.add(Duration.between(w.clock.instant(), after.nextAttemptAt));
                w.clock.now = after.nextAttemptAt;
            }
        }
        RotationRun end = w.drive(run.id);
        assertThat(delays).hasSize(4);
        assertThat(delays.get(0)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(delays.get(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
        assertThat(end.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(end.lastErrorType).isEqualTo("urn:keyline:problem:connection-service-unavailable");
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        assertThat(w.occupiedSlots()).containsExactly(INITIAL);
    }

    @Test
    void failuresAfterSwapEndInNeedsAttentionWithAWorkingKey() {
        World w = new World();
        w.faults.alwaysFail = "unsetKeySlot";
        RotationRun end = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(end.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(end.attempts).isEqualTo(5);
        assertThat(w.cs.stored).isEqualTo(end.newFingerprint);
        assertThat(w.cs.invariantHolds()).isTrue();
        assertThat(w.keys.keys).isEmpty();
    }

    @Test
    void aConnectionDeletedBeforeSwapStopsTheRunAtOnceNamingTheKeysItLeft() {
        World w = new World();
        w.cs.deleteAfter = "setKeySlot"; // REGISTER done, the connection deleted before VERIFY
        RotationRun end = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(end.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(end.stoppedIn).isEqualTo(RunState.VERIFY);
        assertThat(end.attempts).isZero();
        assertThat(end.lastErrorType).isEqualTo("urn:keyline:problem:connection-deleted");
        assertThat(end.lastErrorDetail).contains("was deleted during this rotation (in VERIFY)")
                .contains("the old key " + INITIAL + " in slot 1")
                .contains("this run's new key " + end.newFingerprint + " in slot 2")
                .contains("DELETE /api/v1/connections/{id}/key-slots/{slot}");
        assertThat(w.store.steps).doesNotContain("ROLLING_BACK:OK").contains("VERIFY:ATTENTION");
        assertThat(w.keys.keys).as("no pending key kept for a connection that is gone").isEmpty();
    }

    @Test
    void aConnectionDeletedAfterSwapStopsTheRunAtOnceInsteadOfRetryingRetire() {
        World w = new World();
        w.cs.deleteAfter = "swapCredentials";
        RotationRun end = w.drive(w.newRun(false, Duration.ofMinutes(5)).id);
        assertThat(end.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(end.attempts).isZero();
        assertThat(end.lastErrorType).isEqualTo("urn:keyline:problem:connection-deleted");
        assertThat(end.lastErrorDetail).contains("the old key " + INITIAL + " in slot 1")
                .contains("this run's new key " + end.newFingerprint + " in slot 2");
        assertThat(w.store.steps).noneMatch(step -> step.endsWith(":RETRY"));
    }

    @Test
    void rollbackThatKeepsFailingNeedsAttention() {
        World w = new World();
        w.faults.failAt = indexOf("swapCredentials");
        w.faults.kind = Faults.Kind.PERMANENT;
        w.faults.alwaysFail = "unsetKeySlot";
        RotationRun end = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(end.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        assertThat(w.cs.invariantHolds()).isTrue();
        // the leftover key is one this system registered: the next run may replace it
        assertThat(w.store.isKnownKey("acme", "SVC", w.cs.slot2)).isTrue();
    }

    @Test
    void everyConnectionHoldingTheOldKeyMovesToTheNewOneBeforeRetire() {
        World w = new World();
        FakeConnectionService.Holder b = w.cs.addHolder("orders-b");
        FakeConnectionService.Holder c = w.cs.addHolder("orders-c");
        w.checkInvariantAfterEveryStep();
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        assertThat(List.of(w.cs.stored, b.stored, c.stored)).containsOnly(run.newFingerprint);
        assertThat(w.occupiedSlots()).containsExactly(run.newFingerprint);
        assertThat(w.faults.trace.stream().filter("swapCredentials"::equals)).as("one swap (and login) each").hasSize(3);
        assertThat(w.store.steps).containsSubsequence("SWAP:OK", "MOVE:OK", "DRAIN:OK", "RETIRE:OK", "DONE:OK");
        assertThat(w.store.auditActions()).containsSubsequence("rotation.credentials-swapped",
                "rotation.connections-moved", "rotation.key-retired", "rotation.done");
        assertThat(w.store.audit).anyMatch(a -> a.startsWith("rotation.connections-moved") && a.contains("orders-b")
                && a.contains("orders-c"));
    }

    @Test
    void aConnectionThatCannotBeMovedStopsTheRunBeforeRetireNamingItAndARetryResumesThere() {
        World w = new World();
        FakeConnectionService.Holder b = w.cs.addHolder("orders-b");
        FakeConnectionService.Holder c = w.cs.addHolder("orders-c");
        b.refuseSwaps = true; // the second swap of the run fails: B's login with the new key is refused
        w.checkInvariantAfterEveryStep();
        RotationRun stopped = w.drive(w.newRun(false, Duration.ZERO).id);

        assertThat(stopped.state).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(stopped.stoppedIn).isEqualTo(RunState.MOVE);
        assertThat(stopped.lastErrorType).isEqualTo("urn:keyline:problem:connection-not-moved");
        assertThat(stopped.lastErrorDetail).contains("\"orders-b\" (" + w.cs.idOf(b) + ")")
                .contains("390189").contains("moved: \"orders-c\"");
        assertThat(w.cs.stored).isEqualTo(stopped.newFingerprint);
        assertThat(c.stored).as("the third connection still moved").isEqualTo(stopped.newFingerprint);
        assertThat(b.stored).isEqualTo(INITIAL);
        assertThat(w.occupiedSlots()).as("the old key stays registered for B").containsExactlyInAnyOrder(INITIAL,
                stopped.newFingerprint);
        assertThat(w.faults.trace).doesNotContain("unsetKeySlot");
        assertThat(w.store.steps).contains("MOVE:ATTENTION").doesNotContain("RETIRE:OK");
        assertThat(w.keys.keys).as("kept for a retry: B still needs the new key").containsKey(stopped.id);

        // The operator grants B's role back and retries (RotationService#retry): the run resumes in MOVE.
        b.refuseSwaps = false;
        RotationRun resumed = w.store.load(stopped.id);
        resumed.state = resumed.stoppedIn;
        resumed.attempts = 0;
        resumed.finishedAt = null;
        w.store.save(resumed);
        RotationRun done = w.drive(stopped.id);
        assertThat(done.state).isEqualTo(RunState.DONE);
        assertThat(List.of(w.cs.stored, b.stored, c.stored)).containsOnly(done.newFingerprint);
        assertThat(w.occupiedSlots()).containsExactly(done.newFingerprint);
        assertThat(w.keys.keys).isEmpty();
    }

    @Test
    void aConnectionCreatedWithTheOldKeyDuringDrainIsMovedBeforeRetire() {
        World w = new World();
        RotationRun run = w.newRun(false, Duration.ofHours(1));
        w.engine.execute(w.store.load(run.id));
        assertThat(w.store.load(run.id).state).isEqualTo(RunState.DRAIN);
        FakeConnectionService.Holder late = w.cs.addHolder("late");
        late.stored = INITIAL; // someone pasted the old key into a new connection meanwhile
        w.checkInvariantAfterEveryStep();
        w.clock.advance(Duration.ofHours(2));
        RotationRun done = w.drive(run.id);
        assertThat(done.state).isEqualTo(RunState.DONE);
        assertThat(late.stored).isEqualTo(done.newFingerprint);
        assertThat(w.occupiedSlots()).containsExactly(done.newFingerprint);
        assertThat(w.store.steps).containsSubsequence("DRAIN:OK", "RETIRE:OK", "MOVE:OK", "DRAIN:OK", "RETIRE:OK",
                "DONE:OK");
        assertThat(w.store.auditActions()).containsOnlyOnce("rotation.key-retired");
    }

    @Test
    void retireRightAfterMoveInOneExecutionUsesMovesListingAndAResumedRetireListsItself() {
        World w = new World();
        assertThat(w.drive(w.newRun(false, Duration.ZERO).id).state).isEqualTo(RunState.DONE);
        // MOVE lists the holders; RETIRE, right after it in the same execution, does not again.
        assertThat(w.faults.trace.stream().filter("keyHolders"::equals)).hasSize(1);

        World waited = new World();
        RotationRun run = waited.newRun(false, Duration.ofHours(1));
        waited.engine.execute(waited.store.load(run.id));
        assertThat(waited.store.load(run.id).state).isEqualTo(RunState.DRAIN);
        int resumedAt = waited.faults.trace.size();
        waited.clock.advance(Duration.ofHours(2));
        assertThat(waited.drive(run.id).state).isEqualTo(RunState.DONE);
        // A later execution (after the grace period) knows nothing of MOVE's listing: RETIRE lists.
        assertThat(waited.faults.trace.subList(resumedAt, waited.faults.trace.size())).startsWith("keyHolders");
    }

    @Test
    void aConnectionStoringTheOldKeyCreatedBetweenMoveAndRetireIsProtectedByTheUnsetGuardAndMoved() {
        World w = new World();
        w.checkInvariantAfterEveryStep();
        FakeConnectionService.Holder[] late = new FakeConnectionService.Holder[1];
        // Someone pastes the old key into a new connection after MOVE listed the holders: RETIRE,
        // which skips its own listing, must not lock it out.
        w.faults.before.put("unsetKeySlot", () -> {
            late[0] = w.cs.addHolder("late");
            late[0].stored = INITIAL;
        });
        RotationRun done = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(done.state).isEqualTo(RunState.DONE);
        assertThat(late[0].stored).as("the late connection was moved to the new key").isEqualTo(done.newFingerprint);
        assertThat(w.occupiedSlots()).containsExactly(done.newFingerprint);
        // The refused UNSET is retried; that attempt lists the holders and goes back to MOVE.
        assertThat(w.store.steps).containsSubsequence("MOVE:OK", "DRAIN:OK", "RETIRE:RETRY", "RETIRE:OK", "MOVE:OK",
                "DRAIN:OK", "RETIRE:OK", "DONE:OK");
        assertThat(w.store.auditActions()).containsOnlyOnce("rotation.key-retired");
    }

    @Test
    void aKeyAnotherConnectionStoresIsNeverReplacedEvenWhenAdopting() {
        World w = new World();
        FakeConnectionService.Holder b = w.cs.addHolder("reporting");
        b.stored = "SHA256:reporting-key=";
        w.cs.slot2 = b.stored;
        for (boolean adopt : new boolean[] { false, true }) {
            RotationRun run = w.drive(w.newRun(adopt, Duration.ZERO).id);
            assertThat(run.state).isEqualTo(RunState.NEEDS_ATTENTION);
            assertThat(run.lastErrorType).isEqualTo("urn:keyline:problem:slot-in-use");
            assertThat(run.lastErrorDetail).contains("\"reporting\"");
        }
        assertThat(w.cs.slot2).isEqualTo("SHA256:reporting-key=");
        assertThat(w.faults.trace).doesNotContain("setKeySlot", "swapCredentials");
    }

    @Test
    void aRunExecutedInOneGoReadsItsPendingKeyOnceAndHandsItOverWithoutEncryption() {
        World w = new World();
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        // GENERATE's look for a key of an earlier attempt; REGISTER, VERIFY and SWAP use the key held since.
        assertThat(w.faults.trace.stream().filter("vault.read"::equals)).hasSize(1);
        assertThat(w.cs.handedOver).containsExactly("plain", "plain");
        assertThat(w.held.heldCount()).isZero();
        assertThat(w.keys.keys).isEmpty();
    }

    @Test
    void aRunResumedAfterACrashReadsTheStoredKeyAgainAndHandsOverThatForm() {
        World w = new World();
        w.faults.failAt = indexOf("checkKey");
        w.faults.kind = Faults.Kind.CRASH;
        RotationRun run = w.newRun(false, Duration.ZERO);
        try {
            w.engine.execute(w.store.load(run.id));
        } catch (Faults.Crash crash) {
            // the process died in VERIFY; nothing of the run stays held in memory
        }
        assertThat(w.held.heldCount()).isZero();
        assertThat(w.store.load(run.id).state).isEqualTo(RunState.VERIFY);
        int readsBefore = (int) w.faults.trace.stream().filter("vault.read"::equals).count();
        RotationRun done = w.drive(run.id);
        assertThat(done.state).isEqualTo(RunState.DONE);
        // The resumed execution reads Vault once (VERIFY) and hands out what Vault holds to both logins.
        assertThat(w.faults.trace.stream().filter("vault.read"::equals).count() - readsBefore).isEqualTo(1);
        assertThat(w.cs.handedOver).containsExactly("encrypted", "encrypted");
        assertThat(w.cs.stored).isEqualTo(done.newFingerprint);
    }

    @Test
    void aHeldKeyIsForgottenWhenDeletedAndNotServedToALaterExecution() {
        Faults faults = new Faults();
        InMemoryPendingKeys vault = new InMemoryPendingKeys(faults);
        HeldPendingKeys held = new HeldPendingKeys(vault);
        UUID run = UUID.randomUUID();
        dev.keyline.rotation.PendingKey stored = new dev.keyline.rotation.PendingKey("enc", "pass", "pub", "SHA256:a=");
        dev.keyline.rotation.PendingKey plain = new dev.keyline.rotation.PendingKey("plain", null, "pub", "SHA256:a=");
        assertThat(held.create(run, stored, plain)).isTrue();
        assertThat(vault.keys.get(run)).isSameAs(stored);
        assertThat(held.find(run)).containsSame(plain);
        // A second create (an earlier write landed) keeps the first key and holds nothing new.
        assertThat(held.create(run, stored, new dev.keyline.rotation.PendingKey("x", null, "pub", "SHA256:b="))).isFalse();
        assertThat(held.find(run)).containsSame(plain);
        held.release(run);
        assertThat(held.find(run)).containsSame(stored);
        held.delete(run);
        assertThat(held.heldCount()).isZero();
        assertThat(held.find(run)).isEmpty();
        assertThat(vault.keys).isEmpty();
    }

    @Test
    void verifyUsesTheSlotsRegisterWasAnsweredWithAndSwapThoseVerifySaw() {
        World w = new World();
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        // Only PLAN reads: REGISTER's SET and RETIRE's UNSET are compare-and-sets on what PLAN saw;
        // VERIFY and SWAP use what the step before saw.
        assertThat(w.faults.trace.stream().filter("keySlots"::equals)).hasSize(1);
        assertThat(w.faults.trace).containsSubsequence("keySlots", "setKeySlot", "checkKey", "swapCredentials");
        assertThat(w.faults.trace.subList(w.faults.trace.indexOf("setKeySlot"), w.faults.trace.indexOf("swapCredentials")))
                .doesNotContain("keySlots");
    }

    @Test
    void aResumedVerifyReadsTheSlotsItself() {
        World w = new World();
        w.faults.failAt = indexOf("checkKey");
        w.faults.kind = Faults.Kind.CRASH;
        RotationRun run = w.newRun(false, Duration.ZERO);
        try {
            w.engine.execute(w.store.load(run.id));
        } catch (Faults.Crash crash) {
            // died in VERIFY
        }
        int resumedAt = w.faults.trace.size();
        assertThat(w.drive(run.id).state).isEqualTo(RunState.DONE);
        assertThat(w.faults.trace.subList(resumedAt, w.faults.trace.size())).startsWith("keySlots");
    }

    @Test
    void aCredentialChangedBetweenVerifyAndSwapIsRefusedByTheCompareAndSetAndReadAgain() {
        World w = new World();
        w.checkInvariantAfterEveryStep();
        // Someone saves the connection (same key) after VERIFY saw the slots: the credential version moves.
        w.faults.before.put("swapCredentials", () -> w.cs.credentialVersion++);
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        assertThat(w.cs.stored).isEqualTo(run.newFingerprint);
        assertThat(w.store.steps).containsSubsequence("VERIFY:OK", "SWAP:RETRY", "SWAP:OK");
        // The refused attempt read the slots again; the retry read them itself too.
        int refused = w.faults.trace.indexOf("swapCredentials");
        assertThat(w.faults.trace.subList(refused, w.faults.trace.size())).containsSubsequence("swapCredentials",
                "keySlots", "keySlots", "vault.read", "swapCredentials");
    }

    @Test
    void aRotationInOneGoCallsConnectionServiceSevenTimes() {
        World w = new World();
        assertThat(w.drive(w.newRun(false, Duration.ZERO).id).state).isEqualTo(RunState.DONE);
        // PLAN: connection, keySlots; REGISTER: setKeySlot (If-None-Match: *); VERIFY: checkKey; SWAP:
        // swapCredentials; MOVE: keyHolders; RETIRE: unsetKeySlot (If-Match: the PLAN key). Was 9.
        assertThat(w.faults.trace.stream().filter(op -> !op.startsWith("vault."))).containsExactly("connection",
                "keySlots", "setKeySlot", "checkKey", "swapCredentials", "keyHolders", "unsetKeySlot");
    }

    @Test
    void aKeyPutInTheTargetSlotBetweenPlanAndRegisterIsNotOverwritten() {
        World w = new World();
        w.checkInvariantAfterEveryStep();
        String theirs = "SHA256:someone-elses-key=";
        // After PLAN saw slot 2 empty, someone registers their key there.
        w.faults.before.put("setKeySlot", () -> w.cs.slot2 = theirs);
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        // As a read would have shown: an unknown key in the slot, so REGISTER fails and the run rolls back.
        assertThat(run.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.lastErrorType).isEqualTo("urn:keyline:problem:unknown-key-in-slot");
        assertThat(w.cs.slot2).isEqualTo(theirs);
        assertThat(w.cs.slot1).isEqualTo(INITIAL);
        assertThat(w.cs.stored).isEqualTo(INITIAL);
        // The refused compare-and-set SET, then REGISTER's own read; no second SET.
        assertThat(w.faults.trace).containsSubsequence("keySlots", "setKeySlot", "keySlots");
        assertThat(w.faults.trace.stream().filter("setKeySlot"::equals)).hasSize(1);
    }

    @Test
    void aKnownKeyPutInTheTargetSlotBetweenPlanAndRegisterIsReplacedAfterReading() {
        World w = new World();
        String ours = "SHA256:retired-by-us-earlier=";
        w.store.recordKey("acme", "SVC", ours, UUID.randomUUID(), "RETIRED");
        w.faults.before.put("setKeySlot", () -> w.cs.slot2 = ours);
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        // The read shows a key this system retired: replaced as before, with the SET expecting it.
        assertThat(run.state).isEqualTo(RunState.DONE);
        assertThat(w.cs.stored).isEqualTo(run.newFingerprint);
        assertThat(w.faults.trace).containsSubsequence("keySlots", "setKeySlot", "keySlots", "setKeySlot", "checkKey");
    }

    @Test
    void aResumedRegisterReadsTheSlotsItself() {
        World w = new World();
        w.faults.failAt = indexOf("setKeySlot");
        w.faults.kind = Faults.Kind.CRASH;
        w.faults.when = Faults.When.AFTER;
        RotationRun run = w.newRun(false, Duration.ZERO);
        try {
            w.engine.execute(w.store.load(run.id));
        } catch (Faults.Crash crash) {
            // died in REGISTER after the ALTER took effect
        }
        int resumedAt = w.faults.trace.size();
        assertThat(w.drive(run.id).state).isEqualTo(RunState.DONE);
        List<String> resumed = w.faults.trace.subList(resumedAt, w.faults.trace.size());
        assertThat(resumed).startsWith("keySlots").doesNotContain("setKeySlot");
        assertThat(w.store.steps).contains("REGISTER:OK");
    }

    @Test
    void aKeyPutInTheOldSlotBeforeRetireIsNotUnset() {
        World w = new World();
        w.checkInvariantAfterEveryStep();
        String theirs = "SHA256:someone-elses-key=";
        // After SWAP, someone replaces the old key in slot 1 with their own.
        w.faults.before.put("unsetKeySlot", () -> w.cs.slot1 = theirs);
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        assertThat(w.cs.slot1).as("their key stays").isEqualTo(theirs);
        assertThat(w.cs.slot2).isEqualTo(run.newFingerprint);
        assertThat(w.cs.stored).isEqualTo(run.newFingerprint);
        // The refused compare-and-set UNSET, then RETIRE's own read deciding to leave the slot.
        int refused = w.faults.trace.indexOf("unsetKeySlot");
        assertThat(w.faults.trace.subList(refused, w.faults.trace.size())).containsExactly("unsetKeySlot", "keySlots",
                "vault.delete");
        assertThat(w.store.steps).containsSubsequence("RETIRE:OK", "DONE:OK");
        assertThat(w.store.auditActions()).containsOnlyOnce("rotation.key-retired");
    }

    @Test
    void anOldKeyStoredAgainBeforeRetireIsLeftInItsSlot() {
        World w = new World();
        w.checkInvariantAfterEveryStep();
        // After SWAP someone swaps the connection back to the old key (still registered in slot 1).
        w.faults.before.put("unsetKeySlot", () -> {
            w.cs.stored = INITIAL;
            w.cs.credentialVersion++;
        });
        RotationRun run = w.drive(w.newRun(false, Duration.ZERO).id);
        assertThat(run.state).isEqualTo(RunState.DONE);
        assertThat(w.cs.slot1).as("the stored key's slot stays").isEqualTo(INITIAL);
        int refused = w.faults.trace.indexOf("unsetKeySlot");
        assertThat(w.faults.trace.subList(refused, w.faults.trace.size())).containsExactly("unsetKeySlot", "keySlots",
                "vault.delete");
    }

    private static int indexOf(String op) {
        World clean = new World();
        clean.drive(clean.newRun(false, Duration.ZERO).id);
        return clean.faults.trace.indexOf(op);
    }
}
