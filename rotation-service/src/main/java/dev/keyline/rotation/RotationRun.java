package dev.keyline.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One rotation of one connection's key, as persisted after every step. Holds public values only
 * (fingerprints, slots, timings); the pending private key lives in Vault.
 */
public class RotationRun {
    public UUID id;
    public UUID connectionId;
    public UUID policyId;
    public String account;
    public String snowflakeUser;
    public RunState state = RunState.PLAN;
    public String trigger = "manual";
    public boolean adopt;
    public int keySize = 2048;
    public Duration gracePeriod = Duration.ZERO;
    public int maxAttempts = 5;
    public int attempts;
    public String oldFingerprint;
    public Integer oldSlot;
    public Integer targetSlot;
    public String newFingerprint;
    public Instant drainUntil;
    public Instant nextAttemptAt;
    public String lastErrorType;
    public String lastErrorDetail;
    public String leaseOwner;
    public Instant leaseUntil;
    public String createdBy;
    /**
     * Whose run it is for the per-owner share of the workers ({@code worker.concurrency-per-owner}): the
     * subject that requested it, for a scheduled run whoever last saved its policy, for a retried run
     * the operator who retried it. A token subject, not the connection or the Snowflake account, which a
     * caller can create as many of as it likes. Null only on runs that finished before it was recorded.
     */
    public String owner;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    /** The step a NEEDS_ATTENTION run stopped in: where a retry resumes it. */
    public RunState stoppedIn;
    /** Why an operator closed it (state CLOSED). */
    public String closedReason;
    /**
     * The key slots as connection-service answered them at the end of the previous step of this
     * execution (REGISTER's SET answers DESC USER after the ALTER; VERIFY's read), for the next step
     * instead of a read of its own ({@code StepContext#slots}). Never persisted nor copied: a run
     * resumed elsewhere or later reads again; the engine clears it unless the step moved straight on.
     */
    public transient SlotsView slotsSeen;
    /**
     * MOVE of this execution left no other managed connection of the user on the old key, for the
     * RETIRE right after it (DRAIN with no grace left in between) instead of a listing of its own
     * ({@code StepContext#othersMoved}). Never persisted nor copied, cleared like {@link #slotsSeen}.
     */
    public transient boolean othersMovedSeen;

    /** Forgets what this execution saw: a later or resumed execution reads Snowflake's state again. */
    public void forgetSeen() {
        slotsSeen = null;
        othersMovedSeen = false;
    }

    public static RotationRun create(UUID connectionId, String account, String user, Instant now) {
        RotationRun r = new RotationRun();
        r.id = UUID.randomUUID();
        r.connectionId = connectionId;
        r.account = account;
        r.snowflakeUser = user;
        r.createdAt = now;
        r.nextAttemptAt = now;
        return r;
    }

    /** The run a due policy starts, with the policy's parameters. */
    public static RotationRun scheduled(RotationPolicy p, Instant now) {
        RotationRun run = create(p.connectionId, p.account, p.snowflakeUser, now);
        run.policyId = p.id;
        run.trigger = "schedule";
        run.keySize = p.keySize;
        run.gracePeriod = p.gracePeriod;
        run.maxAttempts = p.maxAttempts;
        run.createdBy = "scheduler";
        // Whoever last saved the policy chose this schedule (PUT replaces every setting).
        run.owner = p.updatedBy != null ? p.updatedBy : p.createdBy;
        return run;
    }

    public RotationRun copy() {
        RotationRun r = new RotationRun();
        r.id = id;
        r.connectionId = connectionId;
        r.policyId = policyId;
        r.account = account;
        r.snowflakeUser = snowflakeUser;
        r.state = state;
        r.trigger = trigger;
        r.adopt = adopt;
        r.keySize = keySize;
        r.gracePeriod = gracePeriod;
        r.maxAttempts = maxAttempts;
        r.attempts = attempts;
        r.oldFingerprint = oldFingerprint;
        r.oldSlot = oldSlot;
        r.targetSlot = targetSlot;
        r.newFingerprint = newFingerprint;
        r.drainUntil = drainUntil;
        r.nextAttemptAt = nextAttemptAt;
        r.lastErrorType = lastErrorType;
        r.lastErrorDetail = lastErrorDetail;
        r.leaseOwner = leaseOwner;
        r.leaseUntil = leaseUntil;
        r.createdBy = createdBy;
        r.owner = owner;
        r.createdAt = createdAt;
        r.startedAt = startedAt;
        r.finishedAt = finishedAt;
        r.stoppedIn = stoppedIn;
        r.closedReason = closedReason;
        return r;
    }

    @Override
    public String toString() {
        return "RotationRun[" + id + " " + state + " connection=" + connectionId + " attempts=" + attempts + "]";
    }
}
