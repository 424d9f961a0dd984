package dev.keyline.rotation.service;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.keyline.rotation.RunRepository;

/**
 * The heartbeat of the runs a replica is executing: renews each one's lease every third of the
 * lease while its steps run. A step may wait on connection-service (logins, ALTER USER, retries)
 * longer than one lease; without renewal another replica would take the run over while this one
 * is still acting on it. A replica that dies stops renewing, and its runs become claimable one
 * lease later. Saves stay fenced by the lease whatever the heartbeat does.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final RunRepository runs;
    private final long periodMillis;
    private final ScheduledExecutorService timer = Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("rotation-lease").factory());

    public LeaseKeeper(RunRepository runs, Duration lease) {
        this.runs = runs;
        this.periodMillis = Math.max(1, lease.toMillis() / 3);
    }

    /** Keeps renewing the lease of {@code runId} held by {@code owner} until the returned handle is closed. */
    public Held hold(UUID runId, String owner) {
        ScheduledFuture<?> beat = timer.scheduleWithFixedDelay(() -> renew(runId, owner), periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
        return () -> beat.cancel(false);
    }

    private void renew(UUID runId, String owner) {
        try {
            if (!runs.renewLease(runId, owner)) {
                // Its next save will fail with LeaseLostException and the worker stops there.
                LOG.warnf("Rotation %s: lease is held by another replica now", runId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Rotation %s: renewing the lease failed (%s); retried at the next beat", runId,
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Stops the heartbeat of one run. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
