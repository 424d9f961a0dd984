package dev.keyline.rotation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rotation policies, and turning the due ones into runs. */
public interface PolicyRepository {

    /** @return false when the connection already has a policy */
    boolean insert(RotationPolicy p);

    /**
     * Compare-and-set on {@code expectedVersion}; on success {@code p.version} is the new version.
     *
     * @return false when the policy is gone or another update came first
     */
    boolean update(RotationPolicy p, long expectedVersion);

    boolean delete(UUID id);

    Optional<RotationPolicy> find(UUID id);

    Optional<RotationPolicy> forConnection(UUID connectionId);

    /** Every policy (the metrics' per-connection series). */
    List<RotationPolicy> list();

    /** Oldest first, filtered by whichever criteria are given. */
    ResultPage<RotationPolicy> list(PolicyFilter filter, int page, int size);

    /**
     * What falls due soon, without locking anything: how many enabled policies of {@code keySize} are
     * due by {@code until} (overdue ones included), and the earliest due time after {@code now} of
     * any enabled policy.
     */
    Upcoming upcoming(Instant now, Instant until, int keySize);

    /** See {@link #upcoming}. */
    record Upcoming(int dueBy, Optional<Instant> nextAfterNow) {
    }

    /** Enabled policies due at {@code now}, without locking them (to look at them before runs are made). */
    List<RotationPolicy> due(Instant now, int limit);

    /**
     * In one transaction: locks up to {@code limit} policies enabled and due at {@code now} (replicas
     * skip each other's), creates a scheduled run for each whose Snowflake user has no active run,
     * moves each one's next due time on from {@code now}, and audits every run started (actor
     * {@code scheduler}). A policy due only after {@code now} is left for a later call.
     *
     * @return the runs created
     */
    List<RotationRun> startDueRuns(Instant now, int limit);

    /**
     * Disables an enabled policy with a reason shown to its readers, audited (actor {@code actor}) in
     * the same transaction.
     *
     * @return false when it is gone or disabled already
     */
    boolean disable(UUID id, String reason, String actor);

    /**
     * Brings the connection's policy forward to {@code at} unless it is due sooner already (or is
     * disabled): a rotation that rolled back is tried again then.
     */
    void dueAgainAt(UUID connectionId, Instant at);

    void markRotated(UUID connectionId, Instant at, Instant nextDue);

    /** Criteria of {@link #list(PolicyFilter, int, int)}; null means any. */
    record PolicyFilter(UUID connectionId, Boolean enabled) {
    }
}
