package dev.keyline.rotation.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.keyline.common.tracing.Spans;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.common.work.WorkRejectedException;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore.AuditNote;
import dev.keyline.rotation.RunStore.StepLog;
import dev.keyline.rotation.service.steps.DrainStep;
import dev.keyline.rotation.service.steps.GenerateStep;
import dev.keyline.rotation.service.steps.MoveStep;
import dev.keyline.rotation.service.steps.PlanStep;
import dev.keyline.rotation.service.steps.RegisterStep;
import dev.keyline.rotation.service.steps.RetireStep;
import dev.keyline.rotation.service.steps.RollbackStep;
import dev.keyline.rotation.service.steps.RotationStep;
import dev.keyline.rotation.service.steps.StepContext;
import dev.keyline.rotation.service.steps.StepResult;
import dev.keyline.rotation.service.steps.SwapStep;
import dev.keyline.rotation.service.steps.VerifyStep;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Drives one run through its steps, persisting after every step. Plain Java (no CDI) so the state
 * machine is tested with in-memory fakes; {@code RotationWorker} wires it to the real ports.
 *
 * <p>Failure handling: a transient failure is retried with backoff until {@code maxAttempts}; then
 * (or on a permanent failure) a run that has not swapped rolls back, one that has swapped stops in
 * NEEDS_ATTENTION (it only has the old slot left to clean up, the stored key works). A rollback
 * that keeps failing ends in NEEDS_ATTENTION too.
 */
public class RotationEngine {

    private static final Logger LOG = Logger.getLogger(RotationEngine.class);

    /** Outcomes reported to {@link Listener}. */
    public interface Listener {
        void finished(RotationRun run);

        Listener NONE = run -> {
        };
    }

    private final StepContext ctx;
    private final Backoff backoff;
    private final Listener listener;
    private volatile boolean stopping;
    private final Map<RunState, RotationStep> steps = new EnumMap<>(RunState.class);

    public RotationEngine(StepContext ctx, Backoff backoff, Listener listener) {
        this.ctx = ctx;
        this.backoff = backoff;
        this.listener = listener;
        steps.put(RunState.PLAN, new PlanStep(ctx));
        steps.put(RunState.GENERATE, new GenerateStep(ctx));
        steps.put(RunState.REGISTER, new RegisterStep(ctx));
        steps.put(RunState.VERIFY, new VerifyStep(ctx));
        steps.put(RunState.SWAP, new SwapStep(ctx));
        steps.put(RunState.MOVE, new MoveStep(ctx));
        steps.put(RunState.DRAIN, new DrainStep(ctx));
        steps.put(RunState.RETIRE, new RetireStep(ctx));
        steps.put(RunState.ROLLING_BACK, new RollbackStep(ctx));
    }

    /**
     * Executes steps until the run is terminal, waits (DRAIN) or must retry later. The caller holds
     * the run's lease; every save is fenced by it, and each step's log rows are written in the same
     * save as the state it led to, so a worker that lost the lease writes neither.
     */
    /**
     * An orderly stop: every run returns after the step it is in (its outcome saved), so its lease
     * can be released at once and another replica continues from there.
     */
    public void stopAfterCurrentStep() {
        stopping = true;
    }

    public void execute(RotationRun run) {
        // One trace per execution (a claim of the run): its steps, their calls to connection-service
        // and Vault, and the audit events they write. The run id is an attribute of every span.
        String[] attributes = { "keyline.rotation.run_id", String.valueOf(run.id), "keyline.connection.id",
                String.valueOf(run.connectionId) };
        try {
            Spans.run("rotation run", SpanKind.INTERNAL, attributes, () -> executeSteps(run, attributes));
        } finally {
            // The pending key is held in memory only while its run executes (HeldPendingKeys).
            ctx.pendingKeys().release(run.id);
            run.forgetSeen();
        }
    }

    private void executeSteps(RotationRun run, String[] attributes) {
        Instant now = ctx.clock().instant();
        if (run.startedAt == null) {
            run.startedAt = now;
        }
        boolean more = true;
        while (more && !stopping && !run.state.terminal()) {
            RunState state = run.state;
            more = Spans.in("rotation step " + state, SpanKind.INTERNAL, attributes, () -> step(run, state));
        }
    }

    /** @return whether to continue with the next step now */
    private boolean step(RotationRun run, RunState state) {
        Instant t0 = ctx.clock().instant();
        StepResult result;
        try {
            result = steps.get(state).run(run);
        } catch (ConnectionServiceException e) {
            if (e.status() == 404 && connectionDeleted(run)) {
                result = new StepResult.Attention(StepResult.type("connection-deleted"), deletedMidRun(run, state));
            } else {
                result = e.transientFailure() ? new StepResult.Retry(e.problemType(), e.getMessage())
                        : new StepResult.Fail(e.problemType(), e.getMessage());
            }
        } catch (VaultUnavailableException e) {
            result = new StepResult.Retry(StepResult.type("vault-unavailable"), e.getMessage());
        } catch (WorkRejectedException e) {
            result = new StepResult.Retry(StepResult.type("busy"), e.getMessage());
        } catch (RuntimeException e) {
            // Never the exception's message: a library's message might quote input.
            result = new StepResult.Retry(StepResult.type("internal-error"), e.getClass().getSimpleName());
        }
        Instant t1 = ctx.clock().instant();
        if (!(result instanceof StepResult.Next)) {
            run.forgetSeen(); // what a failed or waiting step saw serves no later step
        }
        return apply(run, state, result, t0, t1, new ArrayList<>(2));
    }

    /**
     * @param log the step-log rows of this step, saved with the run's next state
     * @return whether to continue with the next step now
     */
    private boolean apply(RotationRun run, RunState state, StepResult result, Instant t0, Instant t1, List<StepLog> log) {
        switch (result) {
            case StepResult.Next next -> {
                RunState to = next.state();
                if (to == RunState.DONE || to == RunState.ROLLED_BACK) {
                    try {
                        ctx.pendingKeys().delete(run.id);
                    } catch (RuntimeException e) {
                        // The step is idempotent: repeat it and the clean-up later.
                        return retry(run, state, StepResult.type("vault-unavailable"),
                                "Deleting the pending key failed: " + e.getClass().getSimpleName(), t0, t1, log);
                    }
                }
                run.state = to;
                run.nextAttemptAt = t1;
                if (to.terminal()) {
                    run.finishedAt = t1;
                    if (to == RunState.DONE) {
                        run.lastErrorType = null;
                        run.lastErrorDetail = null;
                    }
                }
                log.add(new StepLog(state.name(), "OK", t0, t1, next.note()));
                if (to.terminal()) {
                    log.add(new StepLog(to.name(), "OK", t1, t1, null));
                }
                ctx.store().save(run, log, auditEvents(run, state, to, next.note()));
                if (to.terminal()) {
                    LOG.infof("Rotation %s of connection %s ended %s (%s -> %s)", run.id, run.connectionId, to,
                            run.oldFingerprint, run.newFingerprint);
                    listener.finished(run);
                    return false;
                }
                return true;
            }
            case StepResult.WaitUntil wait -> {
                run.nextAttemptAt = wait.until();
                ctx.store().save(run, log, List.of());
                return false;
            }
            case StepResult.Retry retry -> {
                return retry(run, state, retry.problemType(), retry.detail(), t0, t1, log);
            }
            case StepResult.Fail fail -> {
                log.add(new StepLog(state.name(), "FAILED", t0, t1, fail.detail()));
                run.lastErrorType = fail.problemType();
                run.lastErrorDetail = trim(fail.detail());
                if (state.beforeSwapCompleted()) {
                    return enterRollback(run, t1, log);
                }
                if (state == RunState.ROLLING_BACK) {
                    return attention(run, t1, log);
                }
                return retry(run, state, fail.problemType(), fail.detail(), t0, t1, log);
            }
            case StepResult.Attention a -> {
                log.add(new StepLog(state.name(), "ATTENTION", t0, t1, a.detail()));
                run.lastErrorType = a.problemType();
                run.lastErrorDetail = trim(a.detail());
                return attention(run, t1, log);
            }
        }
    }

    /**
     * Whether the run's own connection is gone (a 404 of one of its calls could also be another resource's).
     * Every call of a run goes through that connection, so neither the run nor its rollback can go on: it
     * stops at once, not after retrying a refusal that cannot change (a probe's run retried RETIRE for minutes).
     */
    private boolean connectionDeleted(RotationRun run) {
        try {
            ctx.connections().connection(run.connectionId);
            return false;
        } catch (ConnectionServiceException e) {
            return e.status() == 404;
        }
    }

    /** What the deleted connection may have left registered, and how to remove it: keys nobody stores any more. */
    static String deletedMidRun(RotationRun run, RunState state) {
        StringBuilder left = new StringBuilder();
        if (run.oldFingerprint != null && run.oldSlot != null) {
            left.append(" the old key ").append(run.oldFingerprint).append(" in slot ").append(run.oldSlot);
        }
        if (run.newFingerprint != null && run.targetSlot != null && state != RunState.GENERATE) {
            left.append(left.length() > 0 ? " and" : "").append(" this run's new key ").append(run.newFingerprint)
                    .append(" in slot ").append(run.targetSlot).append(" (if REGISTER got that far)");
        }
        return "Connection " + run.connectionId + " was deleted during this rotation (in " + state + "), so the run can "
                + "neither finish nor roll back through it. Snowflake user " + run.snowflakeUser + " may still hold"
                + (left.length() > 0 ? left : " keys this connection stored")
                + ", whose private keys went with the connection: unset them through another connection of the user "
                + "(DELETE /api/v1/connections/{id}/key-slots/{slot}) or in Snowflake (ALTER USER … UNSET RSA_PUBLIC_KEY"
                + " or RSA_PUBLIC_KEY_2)";
    }

    private boolean retry(RotationRun run, RunState state, String type, String detail, Instant t0, Instant t1,
            List<StepLog> log) {
        log.add(new StepLog(state.name(), "RETRY", t0, t1, detail));
        run.attempts++;
        run.lastErrorType = type;
        run.lastErrorDetail = trim(detail);
        if (run.attempts >= run.maxAttempts) {
            LOG.warnf("Rotation %s gave up %s after %d attempts: %s", run.id, state, run.attempts, type);
            if (state.beforeSwapCompleted()) {
                return enterRollback(run, t1, log);
            }
            return attention(run, t1, log);
        }
        run.nextAttemptAt = t1.plus(backoff.delay(run.attempts));
        ctx.store().save(run, log, List.of());
        return false;
    }

    private boolean enterRollback(RotationRun run, Instant now, List<StepLog> log) {
        RunState from = run.state;
        run.state = RunState.ROLLING_BACK;
        run.attempts = 0;
        run.nextAttemptAt = now;
        ctx.store().save(run, log, List.of(new AuditNote("rotation.rollback-started", "FAILED", run.newFingerprint,
                "in " + from + ": " + run.lastErrorType)));
        return true;
    }

    private boolean attention(RotationRun run, Instant now, List<StepLog> log) {
        RunState from = run.state;
        if (from != RunState.MOVE) {
            try {
                // No copy of a private key should linger: the stored one is in connection-service.
                ctx.pendingKeys().delete(run.id);
            } catch (RuntimeException e) {
                LOG.warnf("Rotation %s: deleting the pending key failed (%s); it stays in Vault", run.id,
                        e.getClass().getSimpleName());
            }
        }
        // Stopped in MOVE, the key is kept: the connections not moved yet need it when the run is
        // retried; closing the run deletes it.
        run.state = RunState.NEEDS_ATTENTION;
        // Where an operator's retry resumes it (RotationService#retry says why that is safe).
        run.stoppedIn = from;
        run.finishedAt = now;
        ctx.store().save(run, log, List.of(new AuditNote("rotation.needs-attention", "FAILED",
                fingerprints(run.oldFingerprint, run.newFingerprint), "in " + from + ": " + run.lastErrorType)));
        LOG.warnf("Rotation %s of connection %s needs attention: %s", run.id, run.connectionId, run.lastErrorType);
        listener.finished(run);
        return false;
    }

    /**
     * The audit events of a step transition of consequence: a key registered, the stored credential
     * swapped, the other connections holding the old key moved, the old key retired, and the run's
     * end. Steps that only read (PLAN, VERIFY) or touch nothing outside (GENERATE, DRAIN) are in the
     * step log only.
     */
    static List<AuditNote> auditEvents(RotationRun run, RunState from, RunState to, String note) {
        List<AuditNote> events = new ArrayList<>(2);
        if (from == RunState.REGISTER) {
            events.add(new AuditNote("rotation.key-registered", "SUCCESS", run.newFingerprint,
                    "slot " + run.targetSlot + " (" + note + ")"));
        } else if (from == RunState.SWAP) {
            events.add(new AuditNote("rotation.credentials-swapped", "SUCCESS",
                    fingerprints(run.oldFingerprint, run.newFingerprint), note));
        } else if (from == RunState.MOVE && note != null && note.startsWith(MoveStep.MOVED)) {
            events.add(new AuditNote("rotation.connections-moved", "SUCCESS",
                    fingerprints(run.oldFingerprint, run.newFingerprint), note));
        } else if (from == RunState.ROLLING_BACK && to == RunState.MOVE) {
            events.add(new AuditNote("rotation.rolled-forward", "SUCCESS",
                    fingerprints(run.oldFingerprint, run.newFingerprint), note));
        } else if (from == RunState.RETIRE && to == RunState.DONE) {
            events.add(new AuditNote("rotation.key-retired", "SUCCESS", run.oldFingerprint,
                    "slot " + run.oldSlot + " (" + note + ")"));
        }
        if (to == RunState.DONE) {
            events.add(new AuditNote("rotation.done", "SUCCESS", fingerprints(run.oldFingerprint, run.newFingerprint),
                    "slot " + run.oldSlot + " -> " + run.targetSlot));
        } else if (to == RunState.ROLLED_BACK) {
            events.add(new AuditNote("rotation.rolled-back", "FAILED", run.newFingerprint,
                    note + "; cause: " + run.lastErrorType));
        }
        return events;
    }

    static String fingerprints(String oldFp, String newFp) {
        if (oldFp == null) {
            return newFp;
        }
        return newFp == null ? oldFp : oldFp + " -> " + newFp;
    }

    private static String trim(String s) {
        return s == null || s.length() <= 1900 ? s : s.substring(0, 1900);
    }
}
