package dev.keyline.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The runs as the rest of the service sees them, beside what the engine needs ({@link RunStore}):
 * creating them, claiming and leasing them across replicas, reading them for the API, health and
 * metrics, and the operator's decisions on a NEEDS_ATTENTION run. Nothing outside the persistence
 * package knows that it is PostgreSQL.
 */
public interface RunRepository extends RunStore {

    /**
     * A new run, in the caller's transaction if there is one.
     *
     * @throws ActiveRunExistsException when its Snowflake user already has an active run
     */
    void insert(RotationRun run);

    /**
     * Claims up to {@code limit} due runs for {@code owner}: not terminal, due, and not leased (or
     * whose lease expired because its worker died).
     */
    List<RotationRun> claimDue(String owner, int limit);

    /**
     * As {@link #claimDue(String, int)}, with each run owner's share of this replica's workers: a run
     * is claimed only while its owner ({@link RotationRun#owner}) holds fewer than {@code perOwner}
     * runs, counting those this replica already executes ({@code held}, per owner) and those claimed
     * in this call. The runs of an owner at its share are skipped, not leased: they stay due, and the
     * other owners' due runs are claimed in their place in the same call.
     *
     * @param leaseOwner this replica (the lease's owner)
     * @param perOwner   runs one owner may hold on this replica; 0 for no limit
     * @param held       runs this replica executes now, per owner
     */
    Claim claimDue(String leaseOwner, int limit, int perOwner, Map<String, Integer> held);

    /**
     * What {@link #claimDue(String, int, int, Map)} claimed, and how many due runs it left because their
     * owner held its share (they wait for their owner's runs, not for a free worker).
     */
    record Claim(List<RotationRun> runs, int waitingForShare) {
    }

    /** Gives the run back (waiting, retrying later or finished); no-op if someone else holds it. */
    void release(UUID id, String owner);

    /** Extends the lease while a step still runs; false when another worker holds it now. */
    boolean renewLease(UUID id, String owner);

    /** How long a claim or a save holds a run. */
    void leaseDuration(Duration lease);

    Optional<RotationRun> find(UUID id);

    /** The run's step log, oldest first. */
    List<StepLog> steps(UUID runId);

    /** Newest first, filtered by whichever criteria are given. */
    ResultPage<RotationRun> list(RunFilter filter, int page, int size);

    /** The latest NEEDS_ATTENTION run of each connection that no later run has superseded by succeeding. */
    List<RotationRun> needingAttention();

    /**
     * Puts a NEEDS_ATTENTION run back into {@code at} with fresh attempts, due now, owned by
     * {@code owner} (who retried it) from now on, and logs {@code note}; the caller's transaction holds
     * it together with the audit event.
     *
     * @return false when the run is not in NEEDS_ATTENTION (any more)
     * @throws ActiveRunExistsException when another run of the same user is active now
     */
    boolean resume(UUID id, RunState at, Instant now, String owner, StepLog note);

    /**
     * Ends a NEEDS_ATTENTION run as CLOSED with the operator's reason, and logs {@code note}.
     *
     * @return false when the run is not in NEEDS_ATTENTION (any more)
     */
    boolean close(UUID id, String reason, Instant now, StepLog note);

    /** Criteria of {@link #list}; null means any. {@code since}/{@code until} bound the creation time. */
    record RunFilter(UUID connectionId, RunState state, Instant since, Instant until) {
    }

    /** Thrown when the user already has an active run (one per Snowflake user). */
    class ActiveRunExistsException extends RuntimeException {
        public ActiveRunExistsException() {
            super("a rotation is already active for this Snowflake user");
        }
    }
}
